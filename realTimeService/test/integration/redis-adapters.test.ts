import Redis from 'ioredis';
import { StaticConfig } from '@shared/platform';
import type { ServerFrame } from '@shared/platform/websocket';
import { freePort, type ManagedProcess } from '../../../scripts/local/processes';
import { startRedis } from '../../../scripts/local/redis';
import { EPHEMERAL_STREAM, ReaderLease, RedisEphemeralPublisher, RedisEphemeralStream, StreamConsumer, SUBSCRIBER_GROUP } from '../../src/adapters/ephemeral-stream';
import { RedisListCache } from '../../src/adapters/list-cache';
import { RedisConnection } from '../../src/adapters/redis-connection';
import { TypingState } from '../../src/adapters/typing-state';
import { RedisSubscriber } from '../../src/redis-subscriber';
import { FakeAudience } from '../unit/fakes';
import { RecordingMetrics } from '../../../shared/platform/test/fakes';

/**
 * The Redis adapters and the subscriber loop against a redis-server of this test's own (not the
 * stack's, whose subscriber would consume these entries).
 */
describe('realTimeService: Redis adapters', () => {
  let port: number;
  let server: ManagedProcess;
  let redis: Redis;
  let connection: RedisConnection;

  beforeAll(async () => {
    port = await freePort();
    server = await startRedis(port);
    redis = new Redis(port, '127.0.0.1');
    connection = new RedisConnection(new StaticConfig({ '/REDIS_HOST': '127.0.0.1', '/REDIS_PORT': String(port) }));
  });
  afterAll(async () => {
    redis.disconnect();
    await connection.close();
    await server.stop();
  });
  beforeEach(() => redis.flushall());

  describe('RedisListCache', () => {
    const cache = () => new RedisListCache(async () => redis, 60);

    it('reads what was filled, with an expiry', async () => {
      const first = await cache().read(['members:c1', 'members:c2']);
      expect(first.hits.size).toBe(0);
      await cache().fill([{ key: 'members:c1', value: ['ann', 'ben'] }], first.tokens);
      const second = await cache().read(['members:c1', 'members:c2']);
      expect([...second.hits]).toEqual([['members:c1', ['ann', 'ben']]]);
      expect(await redis.ttl('rt:cache:members:c1')).toBeGreaterThan(50);
    });

    it('caches an empty list as a hit', async () => {
      const read = await cache().read(['connections:nobody']);
      await cache().fill([{ key: 'connections:nobody', value: [] }], read.tokens);
      expect((await cache().read(['connections:nobody'])).hits.get('connections:nobody')).toEqual([]);
    });

    it('drops a fill that was read before an invalidation (no stale list comes back)', async () => {
      const read = await cache().read(['connections:ann']);
      await cache().invalidate(['connections:ann']); // a connect landed after DynamoDB was read
      await cache().fill([{ key: 'connections:ann', value: ['old-connection'] }], read.tokens);
      expect((await cache().read(['connections:ann'])).hits.size).toBe(0);

      const fresh = await cache().read(['connections:ann']);
      await cache().fill([{ key: 'connections:ann', value: ['old-connection', 'new-connection'] }], fresh.tokens);
      expect((await cache().read(['connections:ann'])).hits.get('connections:ann')).toEqual(['old-connection', 'new-connection']);
    });
  });

  describe('TypingState', () => {
    const typing = () => new TypingState(connection, { ttlMs: 5_000, maxStarts: 3, windowMs: 10_000 });

    it('reports only changes: start, repeat, stop, stop again', async () => {
      const t = typing();
      expect(await t.update('c', 'ann', true, 1_000)).toBe('started');
      expect(await t.update('c', 'ann', true, 2_000)).toBe('unchanged');
      expect(await t.update('c', 'ben', true, 2_000)).toBe('started');
      expect(await t.update('c', 'ann', false, 3_000)).toBe('stopped');
      expect(await t.update('c', 'ann', false, 3_500)).toBe('unchanged');
    });

    it('limits how often one member may start typing in a conversation', async () => {
      const t = typing();
      const changes = [];
      for (let i = 0; i < 4; i++) {
        changes.push(await t.update('c', 'ann', true, 1_000 + i));
        changes.push(await t.update('c', 'ann', false, 1_000 + i));
      }
      expect(changes).toEqual(['started', 'stopped', 'started', 'stopped', 'started', 'stopped', 'limited', 'unchanged']);
      expect(await t.update('other', 'ann', true, 2_000)).toBe('started');
    });

    it('hands each lapsed typist out once, extended ones later', async () => {
      const t = typing();
      await t.update('c', 'ann', true, 1_000);
      await t.update('c', 'ben', true, 1_000);
      await t.update('c', 'ben', true, 4_000); // still typing: lapses at 9 000
      expect(await t.takeLapsed(6_500, 100)).toEqual([{ conversationId: 'c', userId: 'ann' }]);
      expect(await t.takeLapsed(6_500, 100)).toEqual([]);
      expect(await t.takeLapsed(9_500, 100)).toEqual([{ conversationId: 'c', userId: 'ben' }]);
      expect(await t.update('c', 'ben', false, 9_600)).toBe('unchanged');
    });
  });

  describe('the ephemeral stream', () => {
    it('hands each entry to one consumer of the group, and keeps unacknowledged ones for a taker-over', async () => {
      const publisher = new RedisEphemeralPublisher(connection);
      const first = new StreamConsumer(redis, 'first');
      const second = new StreamConsumer(redis, 'second');
      await first.createGroup();
      await first.createGroup(); // idempotent
      await publisher.publish({ kind: 'presence', userId: 'ann', status: 'online', correlationId: 'c1', at: 'now' });
      await publisher.publish({ kind: 'presence', userId: 'ben', status: 'online', correlationId: 'c2', at: 'now' });

      const taken = await first.read(1, 100);
      const rest = await second.read(10, 100);
      expect([...taken, ...rest].map((e) => (e.event as { userId: string }).userId)).toEqual(['ann', 'ben']);
      await second.ack(rest.map((e) => e.id));

      // `first` never acknowledges: after the idle time another consumer takes its entry over.
      await new Promise((r) => setTimeout(r, 60));
      const claimed = await second.claimAbandoned(50, 10);
      expect(claimed.map((e) => e.id)).toEqual(taken.map((e) => e.id));
    });

    it('recreates the group when Redis lost it, without skipping what was added meanwhile', async () => {
      const consumer = new StreamConsumer(redis, 'solo');
      await redis.xadd(EPHEMERAL_STREAM, '*', 'e', JSON.stringify({ kind: 'presence', userId: 'ann', status: 'offline', correlationId: 'c', at: 'now' }));
      expect(await consumer.read(10, 50)).toEqual([]); // NOGROUP → group created from the start
      const entries = await consumer.read(10, 50);
      expect(entries.map((e) => e.event)).toEqual([expect.objectContaining({ userId: 'ann', status: 'offline' })]);
      expect((await redis.xinfo('GROUPS', EPHEMERAL_STREAM)) as unknown[]).toHaveLength(1);
    });

    it('marks entries it cannot read, so they are acknowledged and dropped', async () => {
      const consumer = new StreamConsumer(redis, 'solo');
      await consumer.createGroup();
      await redis.xadd(EPHEMERAL_STREAM, '*', 'e', 'not json');
      expect((await consumer.read(10, 50)).map((e) => e.event)).toEqual([undefined]);
    });
  });

  describe('ReaderLease', () => {
    it('lets one holder read at a time, renewing, until it releases', async () => {
      const a = new ReaderLease(redis, 'a', 1_000);
      const b = new ReaderLease(redis, 'b', 1_000);
      expect(await a.hold()).toBe(true);
      expect(await b.hold()).toBe(false);
      expect(await a.hold()).toBe(true);
      await b.release(); // not b's to release
      expect(await b.hold()).toBe(false);
      await a.release();
      expect(await b.hold()).toBe(true);
    });
  });

  describe('RedisSubscriber', () => {
    function subscriberWith(audience: FakeAudience) {
      const delivered: { frame: ServerFrame; userIds: readonly string[] }[] = [];
      const fanOut = {
        fanOutToUsers: async (frame: ServerFrame, userIds: readonly string[]) => {
          delivered.push({ frame, userIds: [...userIds].sort() });
          return { recipients: userIds.length, connections: userIds.length, delivered: userIds.length, gone: 0, failed: 0 };
        },
      };
      const typing = new TypingState(connection, { ttlMs: 300, maxStarts: 5, windowMs: 10_000 });
      const subscriber = new RedisSubscriber(new RedisEphemeralStream(connection), typing, audience, fanOut, { publishActiveConnections: async () => 0 }, new RecordingMetrics(), {
        blockMs: 50,
        typingMaxAgeMs: 2_000,
      });
      return { delivered, subscriber, typing };
    }

    it('delivers typing to the other members, presence to the user\'s contacts, and a lapsed typing as `false`', async () => {
      const audience = new FakeAudience();
      audience.members.set('c1', ['ann', 'ben', 'cat']).set('c2', ['ann', 'dan']);
      audience.conversations.set('ann', ['c1', 'c2']);
      const { delivered, subscriber, typing } = subscriberWith(audience);
      const publisher = new RedisEphemeralPublisher(connection);

      let stop = false;
      const run = subscriber.run({ keepRunning: () => !stop, consumer: 'test' });
      expect(await typing.update('c1', 'ann', true, Date.now())).toBe('started');
      await publisher.publish({ kind: 'typing', conversationId: 'c1', userId: 'ann', isTyping: true, correlationId: 'corr-t', at: 'now' });
      await publisher.publish({ kind: 'presence', userId: 'ann', status: 'online', correlationId: 'corr-p', at: 'then' });
      await until(() => delivered.length >= 3);
      stop = true;
      await run;

      expect(delivered).toEqual([
        { frame: { type: 'typing', data: { conversationId: 'c1', userId: 'ann', isTyping: true }, correlationId: 'corr-t' }, userIds: ['ben', 'cat'] },
        { frame: { type: 'presence', data: { userId: 'ann', status: 'online', at: 'then' }, correlationId: 'corr-p' }, userIds: ['ben', 'cat', 'dan'] },
        { frame: expect.objectContaining({ type: 'typing', data: { conversationId: 'c1', userId: 'ann', isTyping: false } }), userIds: ['ben', 'cat'] },
      ]);
      expect(await redis.xpending(EPHEMERAL_STREAM, SUBSCRIBER_GROUP)).toEqual([0, null, null, null]);
    });

    it('drops typing that waited too long to matter', async () => {
      const audience = new FakeAudience();
      audience.members.set('c1', ['ann', 'ben']);
      const { delivered, subscriber } = subscriberWith(audience);
      const old = Date.now() - 10_000;
      await redis.xadd(EPHEMERAL_STREAM, `${old}-0`, 'e', JSON.stringify({ kind: 'typing', conversationId: 'c1', userId: 'ann', isTyping: true, correlationId: 'c', at: 'then' }));
      let passes = 0;
      const totals = await subscriber.run({ keepRunning: () => passes++ < 5, consumer: 'test' });
      expect(delivered).toEqual([]);
      expect(totals.dropped).toBe(1);
    });

    it('waits while another consumer holds the lease', async () => {
      const audience = new FakeAudience();
      audience.members.set('c1', ['ann', 'ben']);
      const { delivered, subscriber } = subscriberWith(audience);
      await new ReaderLease(redis, 'someone-else', 60_000).hold();
      await new RedisEphemeralPublisher(connection).publish({ kind: 'typing', conversationId: 'c1', userId: 'ann', isTyping: true, correlationId: 'c', at: 'now' });
      let passes = 0;
      await subscriber.run({ keepRunning: () => passes++ < 5, consumer: 'test' });
      expect(delivered).toEqual([]);
    });
  });
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
