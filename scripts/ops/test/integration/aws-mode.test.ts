import { randomUUID } from 'node:crypto';
import { call, newUser } from '../../../../test/support/http';
import { endpoints } from '../../../../test/support/stack';
import { ACCOUNT_PASSWORD } from '../../../lib/accounts';
import { endpointEnv, LOCAL_CREDENTIALS_ENV } from '../../../lib/local-aws';
import { eventually, opsIn, SLOW_MACHINE_TIMEOUT_MS } from '../support';

/**
 * Without --local the commands use the AWS SDK's default chains: credentials, region, and the
 * standard AWS_ENDPOINT_URL_<SERVICE> settings. Pointing those at the stand-ins runs the AWS code
 * path end to end here (the API Gateway lookup of `alarms` and `dashboard` excepted: no stand-in).
 */
function awsEnv(): NodeJS.ProcessEnv {
  const e = endpoints();
  return {
    ...LOCAL_CREDENTIALS_ENV,
    AWS_REGION: e.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...endpointEnv(e),
  };
}

describe('ops commands in AWS mode', () => {
  it('health takes the WebSocket token from OPS_TOKEN and is green', async () => {
    const user = await newUser('Aws Mode Health', 'ops-aws');
    // The stand-in Redis speaks plain TCP, where ElastiCache as deployed wants TLS (the AWS default).
    const run = await opsIn(
      { aws: true, env: { ...awsEnv(), OPS_TOKEN: user.accessToken } },
      'health', '--stage', 'dev', '--websocket-url', endpoints().websocket!, '--redis-tls', 'false', '--json', '--timeout', String(SLOW_MACHINE_TIMEOUT_MS),
    );
    const report = JSON.parse(run.stdout) as { healthy: boolean; target: string; checks: { name: string; status: string }[] };
    expect(report.target).toBe(`AWS ${endpoints().region}, stage dev`);
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('health skips (not fails) the WebSocket check when it has no token', async () => {
    const run = await opsIn({ aws: true, env: awsEnv() }, 'health', '--json');
    const report = JSON.parse(run.stdout) as { checks: { name: string; status: string; detail: string }[] };
    expect(report.checks.find((c) => c.name === 'websocket')).toMatchObject({ status: 'skip', detail: expect.stringContaining('--token') });
  });

  it('logs reads the log groups of the stage it is given', async () => {
    const correlationId = `ops-aws-${randomUUID()}`;
    await call(endpoints().auth, 'POST', '/signIn', { body: { email: 'nobody@example.com', password: ACCOUNT_PASSWORD }, headers: { 'x-correlation-id': correlationId } });
    const read = () => opsIn({ aws: true, env: awsEnv() }, 'logs', '--stage', 'dev', '--function', 'signIn', '--correlation-id', correlationId, '--json');
    const run = await eventually(read, (r) => r.stdout.includes(correlationId));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"logGroup":"/aws/lambda/authService-dev-signIn"');
    const otherStage = await opsIn({ aws: true, env: awsEnv() }, 'logs', '--stage', 'prod', '--function', 'signIn', '--correlation-id', correlationId, '--json');
    expect(otherStage.stdout).toBe('');
  });
});
