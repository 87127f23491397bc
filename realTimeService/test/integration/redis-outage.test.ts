import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import type { TestUser } from '../../../test/support/http';
import { endpoints } from '../../../test/support/stack';
import { startRedis } from '../../../scripts/local/redis';
import type { ManagedProcess } from '../../../scripts/local/processes';
import { group, sendOverHttp, settle, TestSocket, users } from './support';

/**
 * Redis is an accelerator: while it is down, messages still travel (DynamoDB → SNS → fan-out),
 * typing and presence are dropped quietly, and everything recovers by itself once it is back.
 * The test stops the stack's redis-server and starts a new one on the same port; that one belongs
 * to this test process, so it is stopped when the test run ends (see keepUntilExit).
 */
describe('realTimeService: Redis outage', () => {
  it('keeps delivering messages while Redis is down and recovers typing when it returns, restarting nothing else', async () => {
    const port = endpoints().ports.redis;
    const [ann, ben] = (await users('Ann Outage', 'Ben Outage')) as TestUser[];
    const conversationId = await group(ann!, [ben!], 'Outage');
    const [annSocket, benSocket] = await TestSocket.openEach([ann!.accessToken, 'ann'], [ben!.accessToken, 'ben']);
    let restarted: ManagedProcess | undefined;
    try {
      await typingReaches(annSocket, benSocket, conversationId, ann!.userId);

      stopRedis(port);
      const typingBefore = benSocket.eventsOf('typing').length;

      const ack = await annSocket.request({ action: 'message', conversationId, content: 'Redis is down', clientMessageId: randomUUID() });
      expect(ack).toMatchObject({ type: 'ack', data: { seq: 1 } });
      await benSocket.waitForEvent('message.created', { seq: 1 });
      const overHttp = await sendOverHttp(ben!, conversationId, 'Still down');
      await annSocket.waitForEvent('message.created', { seq: overHttp.seq });

      // Typing is dropped without bothering the typist with an error.
      const answersBefore = annSocket.frames.length;
      annSocket.send({ action: 'typing', conversationId, isTyping: true });
      await settle(3_000);
      expect(benSocket.eventsOf('typing').length).toBe(typingBefore);
      expect(annSocket.frames.slice(answersBefore).filter((f) => f.type === 'error')).toEqual([]);

      restarted = await startRedis(port);
      await typingReaches(annSocket, benSocket, conversationId, ann!.userId, 60_000);
      const afterwards = await sendOverHttp(ben!, conversationId, 'Redis is back');
      await annSocket.waitForEvent('message.created', { seq: afterwards.seq });
    } finally {
      if (!restarted && !(await listening(port))) restarted = await startRedis(port);
      if (restarted) keepUntilExit(restarted);
      await Promise.all([annSocket.close(), benSocket.close()]);
    }
  });
});

/** Sends typing until the other side sees it (after an outage the clients need a moment to reconnect). */
async function typingReaches(from: TestSocket, to: TestSocket, conversationId: string, userId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = to.eventsOf('typing', { userId, isTyping: true }).length;
    from.send({ action: 'typing', conversationId, isTyping: true });
    try {
      await to.waitFor((f) => f.type === 'typing' && f.data.userId === userId && f.data.isTyping === true && to.eventsOf('typing', { userId, isTyping: true }).length > seen, 'typing', 5_000);
      from.send({ action: 'typing', conversationId, isTyping: false });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      // A `true` that was dropped may still be recorded as typing: stop, so the next `true` is a change.
      from.send({ action: 'typing', conversationId, isTyping: false });
      await settle(1_000);
    }
  }
}

function stopRedis(port: number): void {
  // SHUTDOWN closes the connection instead of answering, so redis-cli's exit status says nothing.
  spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * The restarted redis-server must outlive this file (later tests use it) but not the test run:
 * it is detached from the event loop and stopped when this process exits.
 */
function keepUntilExit(redis: ManagedProcess): void {
  redis.child.unref();
  for (const stream of [redis.child.stdout, redis.child.stderr]) (stream as unknown as { unref?: () => void })?.unref?.();
  process.once('exit', () => {
    try {
      process.kill(-redis.child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
  });
}
