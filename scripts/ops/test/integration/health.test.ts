import { freePort } from '../../../local/processes';
import { PARAMETERS, TABLES } from '../../catalog';
import { ops, SLOW_MACHINE_TIMEOUT_MS } from '../support';

type Health = { healthy: boolean; checks: { name: string; status: 'ok' | 'fail' | 'skip'; detail: string }[] };

describe('ops health', () => {
  it('is green with the whole stack up, a real WebSocket ping included', async () => {
    const run = await ops('health', '--json', '--timeout', String(SLOW_MACHINE_TIMEOUT_MS));
    const report = JSON.parse(run.stdout) as Health;
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(report.healthy).toBe(true);
    expect(run.code).toBe(0);
    const names = report.checks.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining([
      ...PARAMETERS.map((p) => `ssm ${p}`),
      ...Object.keys(TABLES).map((t) => `dynamodb ${t}`),
      'sns topic', 'redis', 'cognito user pool', 'cognito app client', 'websocket',
    ]));
    expect(report.checks.find((c) => c.name === 'redis')!.detail).toMatch(/PING → PONG/);
    expect(report.checks.find((c) => c.name === 'websocket')!.detail).toMatch(/ping → pong/);
  });

  it('is red, exits non-zero and names Redis when Redis does not answer', async () => {
    // A port nothing listens on stands in for a stopped Redis: the shared test stack stays untouched.
    const port = await freePort();
    const run = await ops('health', '--redis-host', '127.0.0.1', '--redis-port', String(port), '--skip', 'websocket');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^redis\\s+FAIL\\s.*127\\.0\\.0\\.1:${port}.*ECONNREFUSED`, 'm'));
    expect(run.stdout).toMatch(/^UNHEALTHY: redis \(/m);
    expect(run.stdout).not.toMatch(/^(ssm|dynamodb|cognito|sns)\S*.*\sFAIL\s/m);

    const json = JSON.parse((await ops('health', '--json', '--redis-port', String(port), '--timeout', String(SLOW_MACHINE_TIMEOUT_MS))).stdout) as Health;
    expect(json.healthy).toBe(false);
    expect(json.checks.filter((c) => c.status === 'fail').map((c) => c.name)).toEqual(['redis']);
  });

  it('refuses a malformed override before checking anything', async () => {
    const run = await ops('health', '--redis-port', 'six');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--redis-port takes a port number');
    const tls = await ops('health', '--redis-tls', 'maybe');
    expect(tls.code).toBe(2);
    expect(tls.stderr).toContain('--redis-tls takes true or false');
  });
});
