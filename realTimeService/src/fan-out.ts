import { forEachLimited, logger, type MetricsSink } from '@shared/platform';
import type { ServerFrame } from '@shared/platform/websocket';
import type { Audience } from './audience';
import type { ConnectionGateway, PostOutcome } from './ports';
import type { ConnectionRegistry } from './connection-registry';

export interface DeliveryReport {
  recipients: number;
  connections: number;
  delivered: number;
  gone: number;
  failed: number;
}

export interface FanOutOptions {
  /** PostToConnection calls in flight at once. */
  concurrency?: number;
  /** A connection younger than this that answers 410 is kept: it is probably still inside `$connect`. */
  goneGraceMs?: number;
}

/**
 * Delivers one frame to every open connection of a set of users: PostToConnection with bounded
 * concurrency, the frame serialised once. A connection found gone (410) is removed; other failures
 * are counted in FanoutFailures and delivered frames in MessagesPublished.
 */
export class FanOut {
  private readonly concurrency: number;
  private readonly goneGraceMs: number;

  constructor(
    private readonly audience: Pick<Audience, 'connectionsOf'>,
    private readonly gateway: ConnectionGateway,
    private readonly registry: Pick<ConnectionRegistry, 'forgetGone'>,
    private readonly metrics: Pick<MetricsSink, 'count'>,
    options: FanOutOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 25;
    this.goneGraceMs = options.goneGraceMs ?? 10_000;
  }

  async fanOutToUsers(frame: ServerFrame, userIds: readonly string[]): Promise<DeliveryReport> {
    const byUser = await this.audience.connectionsOf(userIds);
    const targets = [...byUser].flatMap(([userId, connectionIds]) => connectionIds.map((connectionId) => ({ userId, connectionId })));
    const report: DeliveryReport = { recipients: byUser.size, connections: targets.length, delivered: 0, gone: 0, failed: 0 };
    if (targets.length === 0) return report;
    const payload = Buffer.from(JSON.stringify(frame));
    const post = await this.gateway.poster();
    await forEachLimited(targets, this.concurrency, async ({ userId, connectionId }) => {
      const outcome: PostOutcome = await post(connectionId, payload);
      if (outcome === 'delivered') report.delivered++;
      else if (outcome === 'failed') report.failed++;
      else if (await this.forgetGone(connectionId, userId, frame.correlationId)) report.gone++;
    });
    if (report.delivered) this.metrics.count('MessagesPublished', report.delivered);
    if (report.failed) this.metrics.count('FanoutFailures', report.failed);
    return report;
  }

  /** A failed clean-up must not fail the delivery to everyone else; the next fan-out tries again. */
  private async forgetGone(connectionId: string, userId: string, correlationId: string): Promise<boolean> {
    try {
      return await this.registry.forgetGone(connectionId, userId, correlationId, this.goneGraceMs);
    } catch (err) {
      logger.warn('connection.cleanup_failed', { connectionId, userId, error: (err as Error).message });
      return false;
    }
  }
}
