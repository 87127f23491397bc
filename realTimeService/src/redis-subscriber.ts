import { logger, type MetricsSink } from '@shared/platform';
import { serverFrame } from '@shared/platform/websocket';
import type { Audience } from './audience';
import type { EphemeralEvent, EphemeralStream, StreamEntry, StreamReader, TypingStore } from './ports';
import type { ConnectionRegistry } from './connection-registry';
import type { FanOut } from './fan-out';

export interface SubscriberOptions {
  /** Entries read per XREADGROUP, and how long one waits for new entries (also the pace of the typing sweep). */
  batchSize?: number;
  blockMs?: number;
  /** Typing older than this is not worth delivering any more; presence lasts longer. */
  typingMaxAgeMs?: number;
  presenceMaxAgeMs?: number;
  /** Entries a consumer took and never acknowledged are taken over after this long. */
  abandonedAfterMs?: number;
  /** How long the reader's lease lasts without renewal (it is renewed on every pass). */
  leaseMs?: number;
  /** How often the metrics are flushed and the ActiveConnections gauge published while running. */
  reportEveryMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** reading: holds the lease and drains; waiting: another consumer does; unavailable: Redis is down. */
type ReaderState = 'reading' | 'waiting' | 'unavailable';

export interface SubscriberRun {
  /** Keep going while this says so (the Lambda's remaining time; the worker's shutdown flag). */
  keepRunning: () => boolean;
  /** This consumer's name in the group: unique per Lambda invocation or worker process. */
  consumer: string;
}

/**
 * redisSubscriber's use case: drains the ephemeral stream (typing, presence) with a consumer
 * group, one reader at a time (see ReaderLease), and delivers each event to the connections of the members concerned, never to the
 * sender's own connections; also announces `typing: false` for typists whose last `typing: true`
 * lapsed.
 *
 * The same loop runs as a long-lived worker locally and, deployed, inside a scheduled Lambda that
 * stops before its timeout (see serverless.yml and README). While Redis is down it waits and
 * retries; the shared client reconnects by itself and the loop picks up again, recreating the
 * consumer group if Redis came back empty.
 */
export class RedisSubscriber {
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly typingMaxAgeMs: number;
  private readonly presenceMaxAgeMs: number;
  private readonly abandonedAfterMs: number;
  private readonly reportEveryMs: number;
  private readonly leaseMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly stream: EphemeralStream,
    private readonly typing: Pick<TypingStore, 'limits' | 'takeLapsed'>,
    private readonly audience: Pick<Audience, 'membersOf' | 'membersOfMany' | 'conversationsOf'>,
    private readonly fanOut: Pick<FanOut, 'fanOutToUsers'>,
    private readonly registry: Pick<ConnectionRegistry, 'publishActiveConnections'>,
    private readonly metrics: Pick<MetricsSink, 'count' | 'flush'>,
    options: SubscriberOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.blockMs = options.blockMs ?? 1_000;
    this.typingMaxAgeMs = options.typingMaxAgeMs ?? typing.limits.ttlMs;
    this.presenceMaxAgeMs = options.presenceMaxAgeMs ?? 60_000;
    this.abandonedAfterMs = options.abandonedAfterMs ?? 5_000;
    this.reportEveryMs = options.reportEveryMs ?? 60_000;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
  }

  async run({ keepRunning, consumer: name }: SubscriberRun): Promise<{ delivered: number; dropped: number }> {
    const totals = { delivered: 0, dropped: 0 };
    let reader: StreamReader | undefined;
    let lastClaim = 0;
    let lastReport = this.now();
    const status: { state: 'starting' | ReaderState } = { state: 'starting' };
    const becomes = (next: ReaderState, fields: Record<string, unknown> = {}) => {
      // One line per change of state, not one per pass: an outage would flood the log.
      if (next !== status.state) logger.info(`subscriber.${next}`, { consumer: name, ...fields });
      status.state = next;
    };
    while (keepRunning()) {
      try {
        reader = await this.stream.reader(name, { blockMs: this.blockMs, leaseMs: this.leaseMs });
        if (!reader) throw new Error('Redis is not available');
        if (await reader.holdLease()) {
          if (status.state !== 'reading') await reader.createGroup();
          becomes('reading');
          if (this.now() - lastClaim >= this.abandonedAfterMs) {
            lastClaim = this.now();
            await this.process(reader, await reader.claimAbandoned(this.abandonedAfterMs, this.batchSize), totals);
          }
          await this.process(reader, await reader.read(this.batchSize, this.blockMs), totals);
          await this.announceLapsedTyping(totals);
        } else {
          becomes('waiting', { reason: 'another consumer holds the lease' });
          await this.sleep(this.blockMs);
        }
      } catch (err) {
        becomes('unavailable', { error: (err as Error).message });
        await this.sleep(500);
      }
      if (this.now() - lastReport >= this.reportEveryMs) {
        lastReport = this.now();
        await this.report();
      }
    }
    if (reader && status.state === 'reading') {
      await reader.leave().catch(() => undefined);
      await reader.releaseLease().catch(() => undefined);
    }
    await this.report();
    logger.info('subscriber.stopped', { consumer: name, ...totals });
    return totals;
  }

  private async process(reader: StreamReader, entries: StreamEntry[], totals: { delivered: number; dropped: number }): Promise<void> {
    if (entries.length === 0) return;
    for (const entry of entries) {
      if (this.isFresh(entry)) totals.delivered += await this.deliverSafely(entry.event!);
      else totals.dropped++;
    }
    await reader.ack(entries.map((e) => e.id));
  }

  private isFresh({ event, addedAtMs }: StreamEntry): boolean {
    if (!event) return false;
    const maxAge = event.kind === 'typing' ? this.typingMaxAgeMs : this.presenceMaxAgeMs;
    return this.now() - addedAtMs <= maxAge;
  }

  private async announceLapsedTyping(totals: { delivered: number }): Promise<void> {
    const lapsed = await this.typing.takeLapsed(this.now(), this.batchSize);
    for (const { conversationId, userId } of lapsed) {
      totals.delivered += await this.deliverSafely({
        kind: 'typing',
        conversationId,
        userId,
        isTyping: false,
        correlationId: `typing-lapsed-${this.now()}`,
        at: new Date(this.now()).toISOString(),
      });
    }
  }

  /** One event's failure (e.g. DynamoDB throttling) must not hold up the rest of the stream. */
  private async deliverSafely(event: EphemeralEvent): Promise<number> {
    try {
      const report = await this.deliver(event);
      logger.debug('ephemeral.delivered', { kind: event.kind, ...report });
      return report.delivered;
    } catch (err) {
      this.metrics.count('EphemeralDropped');
      logger.warn('ephemeral.delivery_failed', { kind: event.kind, error: (err as Error).message });
      return 0;
    }
  }

  private async deliver(event: EphemeralEvent) {
    if (event.kind === 'typing') {
      const { conversationId, userId, isTyping, correlationId } = event;
      const others = (await this.audience.membersOf(conversationId)).filter((id) => id !== userId);
      return this.fanOut.fanOutToUsers(serverFrame('typing', { conversationId, userId, isTyping }, correlationId), others);
    }
    const { userId, status, at, correlationId } = event;
    const conversations = await this.audience.conversationsOf(userId);
    const contacts = new Set([...(await this.audience.membersOfMany(conversations)).values()].flat());
    contacts.delete(userId);
    return this.fanOut.fanOutToUsers(serverFrame('presence', { userId, status, at }, correlationId), [...contacts]);
  }

  private async report(): Promise<void> {
    await this.registry.publishActiveConnections().catch((err) => logger.warn('metrics.gauge_failed', { error: (err as Error).message }));
    await this.metrics.flush();
  }
}
