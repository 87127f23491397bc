import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TestUser } from '../../../test/support/http';
import { endpoints } from '../../../test/support/stack';
import { ConnectionsTable } from '../../src/adapters/connections-table';
import { RedisListCache } from '../../src/adapters/list-cache';
import { cacheKey } from '../../src/audience';
import { CONNECTION_TTL_SECONDS } from '../../src/connection-registry';
import { group, localDynamo, sendOverHttp, TestSocket, users } from './support';

const TABLE = 'websocket-connections';

describe('realTimeService: connection bookkeeping', () => {
  const db = localDynamo();
  const table = new ConnectionsTable(db, async () => TABLE);
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(endpoints().ports.redis, '127.0.0.1');
  });
  afterAll(() => {
    redis.disconnect();
    db.destroy();
  });

  it('removes, at the next fan-out, a connection that went away without $disconnect — and only that one', async () => {
    const [sender, receiver] = (await users('Ghost Sender', 'Ghost Receiver')) as TestUser[];
    const conversationId = await group(sender!, [receiver!], 'Ghosts');
    const [senderSocket, receiverSocket] = await Promise.all([TestSocket.open(sender!.accessToken, 'sender'), TestSocket.open(receiver!.accessToken, 'receiver')]);
    try {
      // What a client that vanished without `$disconnect` leaves behind: its row and its place in
      // the user's connection set, recorded a minute ago, for a connection API Gateway no longer has.
      const ghost = `ghost-${randomUUID()}`;
      const connectedAt = new Date(Date.now() - 60_000);
      const before = await steadyCount(table);
      await table.add({
        connectionId: ghost,
        userId: receiver!.userId,
        connectedAt: connectedAt.toISOString(),
        tokenIssuedAt: Math.floor(connectedAt.getTime() / 1000),
        tokenExpiresAt: Math.floor(connectedAt.getTime() / 1000) + 3600,
        tokenUse: 'access',
        expiresAt: Math.floor(connectedAt.getTime() / 1000) + CONNECTION_TTL_SECONDS,
      });
      await new RedisListCache(async () => redis, 60).invalidate([cacheKey.connections(receiver!.userId)]);
      expect(await table.activeConnections()).toBe(before + 1);

      const ack = await senderSocket.request({ action: 'message', conversationId, content: 'Anyone there?', clientMessageId: randomUUID() });
      expect(ack.type).toBe('ack');
      await receiverSocket.waitForEvent('message.created', { seq: ack.data.seq });
      await waitUntil(async () => !(await db.send(new GetCommand({ TableName: TABLE, Key: { connectionId: ghost } }))).Item, 'the ghost row to go');

      expect((await table.connectionsOf([receiver!.userId])).get(receiver!.userId)).toEqual([expect.not.stringMatching(/^ghost-/)]);
      expect(await table.activeConnections()).toBe(before);

      // Both real connections, the sender's included, still work.
      const next = await sendOverHttp(receiver!, conversationId, 'Still here');
      await senderSocket.waitForEvent('message.created', { seq: next.seq });
      await receiverSocket.waitForEvent('message.created', { seq: next.seq });
    } finally {
      await Promise.all([senderSocket.close(), receiverSocket.close()]);
    }
  });

  it('keeps the ActiveConnections count true as connections open and close', async () => {
    const [user] = (await users('Counted User')) as TestUser[];
    const before = await steadyCount(table);
    // Opened at once, so the counter and the user's connection set see concurrent connects.
    const sockets = await Promise.all([1, 2, 3].map((n) => TestSocket.open(user!.accessToken, `device-${n}`)));
    expect(await table.activeConnections()).toBe(before + 3);
    await sockets[0]!.close();
    await waitUntil(async () => (await table.activeConnections()) === before + 2, 'the count to drop by one');
    await Promise.all(sockets.slice(1).map((s) => s.close()));
    await waitUntil(async () => (await table.activeConnections()) === before, 'the count to return');
    expect((await table.connectionsOf([user!.userId])).get(user!.userId)).toEqual([]);
  });
});

/** Polls until `check` holds: `$disconnect` and clean-ups run after the client has moved on. */
async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The count once earlier tests' `$disconnect`s (which run after their clients moved on) have landed. */
async function steadyCount(table: ConnectionsTable): Promise<number> {
  let last = await table.activeConnections();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_500));
    const now = await table.activeConnections();
    if (now === last) return now;
    last = now;
  }
}
