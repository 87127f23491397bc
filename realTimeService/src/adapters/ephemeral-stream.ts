import type Redis from 'ioredis';
import { withScript, type RedisConnection } from './redis-connection';
import type { EphemeralEvent, EphemeralPublisher, EphemeralStream, StreamEntry, StreamReader } from '../ports';

export const EPHEMERAL_STREAM = 'rt:ephemeral';
export const SUBSCRIBER_GROUP = 'redisSubscriber';
/** Roughly how many entries the stream keeps; older ones are trimmed on each add. */
const MAX_LENGTH = 10_000;

/** The publishing side: typing, connect and disconnect add events to the stream. */
export class RedisEphemeralPublisher implements EphemeralPublisher {
  constructor(private readonly redis: RedisConnection) {}

  async publish(event: EphemeralEvent): Promise<void> {
    const client = await this.redis.required();
    await client.xadd(EPHEMERAL_STREAM, 'MAXLEN', '~', MAX_LENGTH, '*', 'e', JSON.stringify(event));
  }
}

/*
 * A Stream with a consumer group rather than pub/sub: pub/sub forgets what is published while no
 * subscriber listens (between two scheduled Lambda runs, or while the worker restarts); the stream
 * keeps it, and the group hands each entry to exactly one of the consumers reading at the time.
 */

/** The consuming side, for one named consumer of the group. */
export class StreamConsumer {
  constructor(
    readonly client: Redis,
    readonly name: string,
  ) {}

  /**
   * New entries for this consumer, waiting up to `blockMs` for some. Recreates the group when Redis
   * lost it (a restart without persistence), starting from the oldest entry so none is skipped.
   */
  async read(count: number, blockMs: number): Promise<StreamEntry[]> {
    try {
      return entries(await this.client.xreadgroup('GROUP', SUBSCRIBER_GROUP, this.name, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', EPHEMERAL_STREAM, '>'));
    } catch (err) {
      if (!/NOGROUP/.test((err as Error).message)) throw err;
      await this.createGroup();
      return [];
    }
  }

  /** Entries another consumer took but never acknowledged (it crashed or timed out) for `minIdleMs`. */
  async claimAbandoned(minIdleMs: number, count: number): Promise<StreamEntry[]> {
    const [, claimed] = (await this.client.xautoclaim(EPHEMERAL_STREAM, SUBSCRIBER_GROUP, this.name, minIdleMs, '0-0', 'COUNT', count)) as [string, RawEntry[]];
    return parse(claimed);
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length) await this.client.xack(EPHEMERAL_STREAM, SUBSCRIBER_GROUP, ...ids);
  }

  /** Removes this consumer from the group once its work is acknowledged, so names do not pile up. */
  async leave(): Promise<void> {
    await this.client.xgroup('DELCONSUMER', EPHEMERAL_STREAM, SUBSCRIBER_GROUP, this.name);
  }

  async createGroup(): Promise<void> {
    try {
      await this.client.xgroup('CREATE', EPHEMERAL_STREAM, SUBSCRIBER_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!/BUSYGROUP/.test((err as Error).message)) throw err;
    }
  }
}

type RawEntry = [id: string, fields: string[]] | null;

function entries(reply: unknown): StreamEntry[] {
  const streams = (reply ?? []) as [string, RawEntry[]][];
  return streams.flatMap(([, list]) => parse(list));
}

function parse(list: RawEntry[]): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (const entry of list) {
    // XAUTOCLAIM answers null for entries trimmed away meanwhile.
    if (!entry) continue;
    const [id, fields] = entry;
    out.push({ id, event: readEvent(fields[fields.indexOf('e') + 1]), addedAtMs: Number(id.split('-')[0]) });
  }
  return out;
}

function readEvent(json: string | undefined): EphemeralEvent | undefined {
  try {
    const event = JSON.parse(json ?? '') as EphemeralEvent;
    return event?.kind === 'typing' || event?.kind === 'presence' ? event : undefined;
  } catch {
    return undefined;
  }
}

/*
 * One consumer reads at a time, so typing events reach clients in the order they were sent (a
 * `false` overtaking its `true` would leave the indicator on). Consecutive scheduled runs overlap
 * by design, and locally serverless offline also runs the schedule beside the worker: the lease
 * makes the newcomer wait until the current reader stops, or until its lease lapses if it died.
 */
const LEASE = 'rt:subscriber-lease';
const HOLD_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface LeaseCommands {
  holdSubscriberLease(key: string, holder: string, ttlMs: number): Promise<number>;
  releaseSubscriberLease(key: string, holder: string): Promise<number>;
}

/** The right to read the stream, held by one consumer and renewed on every pass of its loop. */
export class ReaderLease {
  constructor(
    private readonly client: Redis,
    private readonly holder: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes or renews the lease; false while another consumer holds it. */
  async hold(): Promise<boolean> {
    const client = withScript<LeaseCommands>(this.client, 'holdSubscriberLease', 1, HOLD_LEASE);
    return (await client.holdSubscriberLease(LEASE, this.holder, this.ttlMs)) === 1;
  }

  async release(): Promise<void> {
    await withScript<LeaseCommands>(this.client, 'releaseSubscriberLease', 1, RELEASE_LEASE).releaseSubscriberLease(LEASE, this.holder);
  }
}

/**
 * The ephemeral stream as redisSubscriber reads it: one StreamConsumer and ReaderLease per consumer
 * name, made anew when Redis hands out a new blocking client (after a reconnect).
 */
export class RedisEphemeralStream implements EphemeralStream {
  private current: { client: Redis; consumer: string; reader: StreamReader } | undefined;

  constructor(private readonly redis: RedisConnection) {}

  async reader(consumer: string, { blockMs, leaseMs }: { blockMs: number; leaseMs: number }): Promise<StreamReader | undefined> {
    const client = await this.redis.readyForBlocking(blockMs);
    if (!client) return undefined;
    if (this.current?.client !== client || this.current.consumer !== consumer) {
      const stream = new StreamConsumer(client, consumer);
      const lease = new ReaderLease(client, consumer, leaseMs);
      this.current = {
        client,
        consumer,
        reader: {
          holdLease: () => lease.hold(),
          releaseLease: () => lease.release(),
          createGroup: () => stream.createGroup(),
          read: (count, wait) => stream.read(count, wait),
          claimAbandoned: (minIdleMs, count) => stream.claimAbandoned(minIdleMs, count),
          ack: (ids) => stream.ack(ids),
          leave: () => stream.leave(),
        },
      };
    }
    return this.current.reader;
  }
}
