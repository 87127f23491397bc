import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { logger } from './logger';

export const METRICS_NAMESPACE = 'RealTimeChat';
const MAX_DATUMS_PER_CALL = 1000;

export type Dimensions = Record<string, string>;

/** What use cases count through, as a port: Metrics in production, RecordingMetrics (shared/platform/test/fakes.ts) in tests. */
export interface MetricsSink {
  count(name: string, value?: number): void;
  /** A level rather than an event count (e.g. ActiveConnections). */
  gauge(name: string, value: number): void;
  flush(): Promise<void>;
}

/**
 * Custom metrics, buffered during one invocation and sent in one PutMetricData call at its end,
 * and only while `isEnabled()` says so (the `/ENABLE_METRICS` SSM parameter, read at run time).
 * Publishing never fails the request: errors are logged.
 *
 * @example
 *   metrics.count('MessagesPublished', delivered);
 *   await metrics.flush();
 */
export class Metrics implements MetricsSink {
  private buffer: MetricDatum[] = [];

  constructor(
    private readonly cloudWatch: Pick<CloudWatchClient, 'send'>,
    private readonly isEnabled: () => Promise<boolean>,
    private readonly defaultDimensions: Dimensions = {},
    private readonly namespace: string = METRICS_NAMESPACE,
  ) {}

  count(name: string, value = 1, dimensions?: Dimensions): void {
    this.add(name, value, 'Count', dimensions);
  }

  /** A level rather than an event count (e.g. ActiveConnections). */
  gauge(name: string, value: number, dimensions?: Dimensions): void {
    this.add(name, value, 'Count', dimensions);
  }

  timing(name: string, milliseconds: number, dimensions?: Dimensions): void {
    this.add(name, milliseconds, 'Milliseconds', dimensions);
  }

  add(name: string, value: number, unit: StandardUnit, dimensions?: Dimensions): void {
    const dims = { ...this.defaultDimensions, ...dimensions };
    this.buffer.push({
      MetricName: name,
      Value: value,
      Unit: unit,
      Timestamp: new Date(),
      Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    });
  }

  /** Sends what was buffered (if metrics are enabled) and empties the buffer either way. */
  async flush(): Promise<void> {
    const datums = this.buffer;
    this.buffer = [];
    if (datums.length === 0) return;
    try {
      if (!(await this.isEnabled())) return;
      for (let i = 0; i < datums.length; i += MAX_DATUMS_PER_CALL) {
        await this.cloudWatch.send(
          new PutMetricDataCommand({ Namespace: this.namespace, MetricData: datums.slice(i, i + MAX_DATUMS_PER_CALL) }),
        );
      }
      logger.debug('metrics.published', { count: datums.length, names: [...new Set(datums.map((d) => d.MetricName))] });
    } catch (err) {
      logger.warn('metrics.publish_failed', { error: err });
    }
  }
}
