import { randomUUID } from 'node:crypto';
import { call, type TestUser } from '../../../../test/support/http';
import { endpoints } from '../../../../test/support/stack';
import { group, TestSocket, users } from '../../../../realTimeService/test/integration/support';
import { CONFIG_TTL_MS, eventually, opsJson, sleep } from '../support';

type Metrics = { enableMetrics?: string; metrics: { name: string; sum: number; samples: number }[] };
const metricsSince = (since: Date) => opsJson<Metrics>('metrics', '--since', since.toISOString());

/** One message from `from` that `to` receives over its WebSocket: a fan-out that publishes MessagesPublished. */
async function deliverOne(from: TestUser, socket: TestSocket, conversationId: string): Promise<void> {
  const sent = await call(endpoints().message, 'POST', `/conversations/${conversationId}/messages`, {
    token: from.accessToken,
    body: { content: 'count me', clientMessageId: randomUUID() },
  });
  if (sent.status !== 201) throw new Error(`sendMessage: ${sent.status} ${JSON.stringify(sent.body)}`);
  await socket.waitForEvent('message.created', { messageId: sent.body.messageId });
}

describe('ops metrics and /ENABLE_METRICS', () => {
  it('publishes nothing while off, and starts within the config cache time once switched on, without a restart', async () => {
    const previous = (await opsJson<{ value: string }>('ssm', 'get', '/ENABLE_METRICS')).value;
    const [alice, bob] = await users('Metrics Alice', 'Metrics Bob');
    const conversationId = await group(alice, [bob], 'Metrics');
    let socket: TestSocket | undefined;
    try {
      expect(await opsJson('ssm', 'set', '/ENABLE_METRICS', 'false')).toMatchObject({ value: 'false' });
      await sleep(CONFIG_TTL_MS + 1_000); // warm containers still hold the old value until then
      const offSince = new Date();
      socket = await TestSocket.open(bob.accessToken, 'bob');
      await deliverOne(alice, socket, conversationId);
      await socket.close();
      await sleep(2_000); // what the fan-out flushed has reached CloudWatch by now
      const off = await metricsSince(offSince);
      expect(off.enableMetrics).toBe('false');
      expect(off.metrics).toEqual([]);

      await opsJson('ssm', 'set', '/ENABLE_METRICS', 'true');
      await sleep(CONFIG_TTL_MS + 1_000);
      const onSince = new Date();
      socket = await TestSocket.open(bob.accessToken, 'bob'); // connect publishes ActiveConnections
      await deliverOne(alice, socket, conversationId);
      const names = (m: Metrics) => m.metrics.map((x) => x.name);
      const on = await eventually(() => metricsSince(onSince), (m) => ['MessagesPublished', 'ActiveConnections'].every((n) => names(m).includes(n)));
      expect(on.enableMetrics).toBe('true');
      expect(names(on)).toEqual(expect.arrayContaining(['MessagesPublished', 'ActiveConnections']));
      expect(on.metrics.find((m) => m.name === 'MessagesPublished')!.sum).toBeGreaterThanOrEqual(1);
    } finally {
      await socket?.close();
      await opsJson('ssm', 'set', '/ENABLE_METRICS', previous);
    }
  });
});
