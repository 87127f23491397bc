import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type Dimension, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Parameter } from '@shared/platform/config/parameters';
import { CUSTOM_METRICS, METRICS_NAMESPACE, PROBLEM_METRICS } from '../catalog';
import { listOption, stringOption, type Command } from '../command';
import { parseSince, table } from '../output';
import { readParameters } from './ssm';

export interface MetricSummary {
  name: string;
  dimensions: Record<string, string>;
  sum: number;
  samples: number;
  max: number | undefined;
  lastSeen: string | undefined;
}

const QUERIES_PER_CALL = 500;
const STATS = ['Sum', 'SampleCount', 'Maximum'] as const;

/** Every metric of a namespace that has data in [start, end), summed over the window. */
export async function summariseMetrics(cw: CloudWatchClient, namespace: string, start: Date, end: Date, names: string[] = []): Promise<MetricSummary[]> {
  const series: { MetricName: string; Dimensions: Dimension[] }[] = [];
  for (const metricName of names.length ? names : [undefined]) {
    let token: string | undefined;
    do {
      const out = await cw.send(new ListMetricsCommand({ Namespace: namespace, MetricName: metricName, NextToken: token }));
      for (const m of out.Metrics ?? []) series.push({ MetricName: m.MetricName!, Dimensions: m.Dimensions ?? [] });
      token = out.NextToken;
    } while (token);
  }
  // Small periods keep the newest datapoint's time meaningful; a long window gets coarser ones.
  const period = Math.max(60, Math.ceil((end.getTime() - start.getTime()) / 1000 / 1440 / 60) * 60);
  const queries: MetricDataQuery[] = series.flatMap((s, i) =>
    STATS.map((stat) => ({ Id: `m${i}_${stat.toLowerCase()}`, MetricStat: { Metric: { Namespace: namespace, ...s }, Period: period, Stat: stat }, ReturnData: true })),
  );
  const results = new Map<string, { Timestamps?: Date[]; Values?: number[] }>();
  for (let i = 0; i < queries.length; i += QUERIES_PER_CALL) {
    let token: string | undefined;
    do {
      const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries.slice(i, i + QUERIES_PER_CALL), StartTime: start, EndTime: end, NextToken: token }));
      for (const r of out.MetricDataResults ?? []) {
        const prev = results.get(r.Id!) ?? { Timestamps: [], Values: [] };
        results.set(r.Id!, { Timestamps: [...prev.Timestamps!, ...(r.Timestamps ?? [])], Values: [...prev.Values!, ...(r.Values ?? [])] });
      }
      token = out.NextToken;
    } while (token);
  }
  return series
    .map((s, i) => {
      const get = (stat: string) => results.get(`m${i}_${stat}`) ?? {};
      const sums = get('sum').Values ?? [];
      const maxes = get('maximum').Values ?? [];
      const times = (get('sum').Timestamps ?? []).map((t) => new Date(t).getTime());
      return {
        name: s.MetricName,
        dimensions: Object.fromEntries(s.Dimensions.map((d) => [d.Name!, d.Value!])),
        sum: sums.reduce((a, b) => a + b, 0),
        samples: (get('samplecount').Values ?? []).reduce((a, b) => a + b, 0),
        max: maxes.length ? Math.max(...maxes) : undefined,
        lastSeen: times.length ? new Date(Math.max(...times)).toISOString() : undefined,
      };
    })
    .filter((m) => m.samples > 0)
    .sort((a, b) => a.name.localeCompare(b.name) || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)));
}

export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'print the custom metrics (namespace RealTimeChat) with data in a recent window, and whether /ENABLE_METRICS is on',
  usage: 'metrics [--since 1h] [--name MessagesPublished] [--namespace RealTimeChat] [--json]',
  options: {
    since: { type: 'string', description: 'window: 30s, 10m, 2h, 1d or an ISO date (default 1h)' },
    name: { type: 'string', multiple: true, description: 'only this metric (repeatable)' },
    namespace: { type: 'string', description: `namespace (default ${METRICS_NAMESPACE}; e.g. AWS/Lambda)` },
  },
  async run({ target, values, io }) {
    const namespace = stringOption(values, 'namespace') ?? METRICS_NAMESPACE;
    const end = new Date();
    const start = new Date(end.getTime() - parseSince(stringOption(values, 'since') ?? '1h', end.getTime()));
    const cw = new CloudWatchClient(target.client('cloudwatch'));
    const ssm = new SSMClient(target.client('ssm'));
    const flagName = target.names.parameter(Parameter.enableMetrics);
    try {
      const [metrics, flag] = await Promise.all([
        summariseMetrics(cw, namespace, start, end, listOption(values, 'name')),
        readParameters(ssm, [flagName]).then((r) => r.found.get(flagName)?.Value),
      ]);
      if (values.json) {
        io.out(JSON.stringify({ namespace, start: start.toISOString(), end: end.toISOString(), enableMetrics: flag, metrics }, null, 2));
        return 0;
      }
      io.out(`${namespace} on ${target.describe()}, ${start.toISOString()} → ${end.toISOString()}; ${flagName} = ${flag ?? '(missing)'}`);
      if (flag !== 'true' && namespace === METRICS_NAMESPACE) io.out('Custom metrics are off: set them on with `npm run ops -- ssm set /ENABLE_METRICS true`.');
      io.out();
      const rows = metrics.map((m) => [m.name, Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(',') || '-', fmt(m.sum), fmt(m.samples), fmt(m.max), m.lastSeen ?? '']);
      if (namespace === METRICS_NAMESPACE) {
        for (const name of [...CUSTOM_METRICS, ...PROBLEM_METRICS]) if (!metrics.some((m) => m.name === name)) rows.push([name, '-', '-', '-', '-', 'no data in this window']);
      }
      table(['METRIC', 'DIMENSIONS', 'SUM', 'SAMPLES', 'MAX', 'LAST DATAPOINT'], rows).forEach((l) => io.out(l));
      return 0;
    } finally {
      cw.destroy();
      ssm.destroy();
    }
  },
};

const fmt = (n: number | undefined) => (n === undefined ? '-' : Number.isInteger(n) ? String(n) : n.toFixed(2));
