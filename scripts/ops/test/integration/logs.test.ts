import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { call, newUser } from '../../../../test/support/http';
import { endpoints } from '../../../../test/support/stack';
import { ACCOUNT_PASSWORD } from '../../../lib/accounts';
import { LOCAL_CREDENTIALS_ENV } from '../../../lib/local-aws';
import { ROOT, SERVERLESS_BIN } from '../../../lib/paths';
import { group, TestSocket, users } from '../../../../realTimeService/test/integration/support';
import { eventually, ops, opsInBackground } from '../support';

type Line = { logGroup: string; timestamp: number; message: string };
const parse = (stdout: string): Line[] => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const entries = (lines: Line[]): Record<string, any>[] => lines.flatMap((l) => {
  try {
    return [{ group: l.logGroup, ...(JSON.parse(l.message) as Record<string, any>) }];
  } catch {
    return [];
  }
});
const logs = async (...args: string[]) => {
  const run = await ops('logs', '--json', ...args);
  if (run.code !== 0) throw new Error(`logs exited ${run.code}: ${run.stderr}`);
  return entries(parse(run.stdout));
};

/** The guide's `serverless logs --function X` from a service folder, pointed at the Logs stand-in through AWS_ENDPOINT_URL. */
async function serverlessLogs(service: string, fn: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: endpoints().logs, ...LOCAL_CREDENTIALS_ENV, SLS_TELEMETRY_DISABLED: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete env.NODE_OPTIONS;
  const { stdout } = await promisify(execFile)(process.execPath, [SERVERLESS_BIN, 'logs', '--function', fn, '--startTime', '15m'], {
    cwd: path.join(ROOT, service),
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

describe('ops logs', () => {
  it('reads one function\'s structured lines, and finds one correlation id alone', async () => {
    const correlationId = `ops-logs-${randomUUID()}`;
    const email = `ops-logs-${randomUUID().slice(0, 8)}@example.com`;
    const signUp = await call(endpoints().auth, 'POST', '/signUp', { body: { email, password: ACCOUNT_PASSWORD, fullName: 'Log Reader' }, headers: { 'x-correlation-id': correlationId } });
    expect(signUp.status).toBe(201);

    const lines = await eventually(() => logs('--function', 'signUp', '--since', '10m'), (l) => l.some((e) => e.correlationId === correlationId));
    const mine = lines.filter((e) => e.correlationId === correlationId);
    expect(mine.map((e) => e.message)).toEqual(expect.arrayContaining(['user.signed_up', 'request.completed']));
    for (const e of mine) {
      expect(e).toMatchObject({ group: '/aws/lambda/authService-dev-signUp', service: 'authService', function: 'signUp', requestId: expect.any(String), coldStart: expect.any(Boolean) });
    }
    expect(mine.find((e) => e.message === 'user.signed_up')).toMatchObject({ userId: signUp.body.userId });
    expect(new Set(lines.map((e) => e.group))).toEqual(new Set(['/aws/lambda/authService-dev-signUp']));

    const byId = await logs('--correlation-id', correlationId, '--since', '10m');
    expect(byId.length).toBe(mine.length);
    expect(byId.every((e) => e.correlationId === correlationId)).toBe(true);
  });

  it('tails new lines as they are written', async () => {
    const tail = opsInBackground('logs', '--function', 'signIn', '--tail', '--since', '1s');
    try {
      await eventually(async () => tail.output.stderr, (s) => s.includes('tailing'), 30_000, 200);
      const user = await newUser('Tail Reader', 'ops-tail');
      const shown = await eventually(async () => tail.output.stdout, (s) => s.includes(user.userId), 45_000, 500);
      expect(shown).toMatch(new RegExp(`authService/signIn INFO\\s+user.signed_in .*${user.userId}`));
    } finally {
      expect(await tail.stop()).toBe(0);
    }
  });

  it('refuses an unknown function name, naming the ones it knows', async () => {
    const run = await ops('logs', '--function', 'sendMesage');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown function "sendMesage"');
    expect(run.stderr).toContain('sendMessage');
  });

  it('follows one message\'s correlation id from sendMessage through snsFanoutHandler to the delivery', async () => {
    const [alice, bob] = await users('Log Alice', 'Log Bob');
    const conversationId = await group(alice, [bob], 'Correlated');
    const socket = await TestSocket.open(bob.accessToken, 'bob');
    try {
      const correlationId = `ops-trace-${randomUUID()}`;
      const sent = await call(endpoints().message, 'POST', `/conversations/${conversationId}/messages`, {
        token: alice.accessToken,
        body: { content: 'trace me', clientMessageId: randomUUID() },
        headers: { 'x-correlation-id': correlationId },
      });
      expect(sent.status).toBe(201);
      const delivered = await socket.waitForEvent('message.created', { messageId: sent.body.messageId });
      expect(delivered.correlationId).toBe(correlationId);

      const functions = (lines: Record<string, any>[]) => new Set(lines.map((e) => e.functionName));
      const lines = await eventually(
        () => logs('--correlation-id', correlationId, '--since', '10m'),
        (l) => functions(l).has('realTimeService-dev-snsFanoutHandler') && l.some((e) => e.message === 'fanout.completed'),
      );
      expect([...functions(lines)]).toEqual(expect.arrayContaining(['messageService-dev-sendMessage', 'realTimeService-dev-snsFanoutHandler']));
      expect(lines.find((e) => e.message === 'event.published')).toMatchObject({ functionName: 'messageService-dev-sendMessage', conversationId });
      expect(lines.find((e) => e.message === 'fanout.completed')).toMatchObject({
        functionName: 'realTimeService-dev-snsFanoutHandler',
        conversationId,
        delivered: expect.any(Number),
      });
      expect(lines.find((e) => e.message === 'fanout.completed')!.delivered).toBeGreaterThanOrEqual(1);
    } finally {
      await socket.close();
    }
  });

  it('the guide\'s `serverless logs --function …` reads the same log groups (locally through AWS_ENDPOINT_URL)', async () => {
    const [carol, dave] = await users('Sls Carol', 'Sls Dave');
    const conversationId = await group(carol, [dave], 'Serverless logs');
    const socket = await TestSocket.open(carol.accessToken, 'carol');
    try {
      const ack = await socket.request({ action: 'message', conversationId, content: 'via the message route', clientMessageId: randomUUID() });
      expect(ack.type).toBe('ack');
      expect((await socket.request({ action: 'shout' })).type).toBe('error'); // $default
      await socket.waitForEvent('message.created', { messageId: ack.data.messageId }); // through snsFanoutHandler
    } finally {
      await socket.close();
    }
    await call(endpoints().message, 'POST', `/conversations/${conversationId}/messages`, { token: carol.accessToken, body: { content: 'via HTTP' } });

    const guideFunctions = [['realTimeService', 'message'], ['realTimeService', 'default'], ['realTimeService', 'snsFanoutHandler'], ['messageService', 'sendMessage']];
    // Each function's REPORT line follows its invocation a moment later.
    await eventually(
      () => logs(...guideFunctions.flatMap(([, fn]) => ['--function', fn]), '--since', '15m'),
      (l) => guideFunctions.every(([service, fn]) => l.some((e) => e.group === `/aws/lambda/${service}-dev-${fn}`)),
    );
    for (const [service, fn] of guideFunctions) {
      const out = await serverlessLogs(service, fn);
      expect(out).toContain(`"functionName":"${service}-dev-${fn}"`);
      expect(out).toMatch(/^END Duration: [\d.]+ ms/m); // Lambda's REPORT line, as serverless shows it
    }
  });
});
