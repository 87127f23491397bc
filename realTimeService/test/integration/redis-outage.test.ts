import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import type { TestUser } from '../../../test/support/http';
import { endpoints } from '../../../test/support/stack';
import { startRedis } from '../../../scripts/local/redis';
import type { ManagedProcess } from '../../../scripts/local/processes';
import { group, sendOverHttp, settle, TestSocket, users, type Frame } from './support';

/**
 * Redis is an accelerator: while it is down, messages still travel (DynamoDB → SNS → fan-out),
 * typing and presence are dropped quietly, and everything recovers by itself once it is back.
 * The test stops the stack's redis-server and starts a new one on the same port; that one belongs
 * to this test process, so it is stopped when the test run ends (see stopWhenTestRunEnds).
 */
describe('realTimeService: Redis outage', () => {
  it('keeps delivering messages while Redis is down and recovers typing when it returns, restarting nothing else', async () => {
    const port = endpoints().ports.redis;
    const [ann, ben] = (await users('Ann Outage', 'Ben Outage')) as TestUser[];
    const conversationId = await group(ann!, [ben!], 'Outage');
    const [annSocket, benSocket] = await Promise.all([TestSocket.open(ann!.accessToken, 'ann'), TestSocket.open(ben!.accessToken, 'ben')]);
    let restarted: ManagedProcess | undefined;
    try {
      await typingReaches(annSocket, benSocket, conversationId, ann!.userId);

      stopRedis(port);
      const startsBefore = benSocket.eventsOf('typing', { isTyping: true }).length;

      const ack = await annSocket.request({ action: 'message', conversationId, content: 'Redis is down', clientMessageId: randomUUID() });
      expect(ack).toMatchObject({ type: 'ack', data: { seq: 1 } });
      await benSocket.waitForEvent('message.created', { seq: 1 });
      const overHttp = await sendOverHttp(ben!, conversationId, 'Still down');
      await annSocket.waitForEvent('message.created', { seq: overHttp.seq });

      // Typing is dropped without bothering the typist with an error.
      const answersBefore = annSocket.frames.length;
      annSocket.send({ action: 'typing', conversationId, isTyping: true });
      await settle(3_000);
      expect(benSocket.eventsOf('typing', { isTyping: true }).length).toBe(startsBefore);
      expect(annSocket.frames.slice(answersBefore).filter((f) => f.type === 'error')).toEqual([]);

      restarted = await startRedis(port);
      await typingReaches(annSocket, benSocket, conversationId, ann!.userId, 60_000);
      const afterwards = await sendOverHttp(ben!, conversationId, 'Redis is back');
      await annSocket.waitForEvent('message.created', { seq: afterwards.seq });
    } finally {
      if (!restarted && !(await listening(port))) restarted = await startRedis(port);
      if (restarted) stopWhenTestRunEnds(restarted);
      await Promise.all([annSocket.close(), benSocket.close()]);
    }
  });
});

/** Sends typing until the other side sees it (after an outage the functions need a moment to reconnect). */
async function typingReaches(from: TestSocket, to: TestSocket, conversationId: string, userId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const typing = (isTyping: boolean, after: number) => (f: Frame, i: number) => i >= after && f.type === 'typing' && f.data.userId === userId && f.data.isTyping === isTyping;
  for (;;) {
    const before = to.frames.length;
    from.send({ action: 'typing', conversationId, isTyping: true });
    try {
      await to.waitFor(typing(true, before), 'typing: true', 5_000);
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      // A `true` whose delivery was lost may still be recorded as typing: stop, so the next is a change.
      from.send({ action: 'typing', conversationId, isTyping: false });
      await settle(1_000);
    }
  }
  const before = to.frames.length;
  from.send({ action: 'typing', conversationId, isTyping: false });
  await to.waitFor(typing(false, before), 'typing: false');
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
 * The restarted redis-server must outlive this file (later test files use it) but not the test
 * run. Jest gives test files a `process` whose 'exit' never fires, so a small watchdog stops the
 * server once this test process has ended.
 */
function stopWhenTestRunEnds(redis: ManagedProcess): void {
  redis.child.unref();
  for (const stream of [redis.child.stdout, redis.child.stderr]) (stream as unknown as { unref?: () => void })?.unref?.();
  const watch = 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -TERM "$2" 2>/dev/null';
  spawn('sh', ['-c', watch, 'redis-watchdog', String(process.pid), String(redis.child.pid)], { detached: true, stdio: 'ignore' }).unref();
}
