import { execFileSync } from 'node:child_process';
import { stageNames } from '@shared/platform/config/deployment-names';
import { ALL_PARAMETERS } from '@shared/platform/config/parameters';
import { call, expectError, newUser } from '../../../../test/support/http';
import { endpoints } from '../../../../test/support/stack';

/** Debian's AWS CLI v2, the client operators use (`aws` on PATH may be another one). */
const AWS_CLI = '/usr/bin/aws';

function aws(...args: string[]): string {
  const e = endpoints();
  return execFileSync(AWS_CLI, ['--endpoint-url', e.ssm, '--region', e.region, '--output', 'json', ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_PAGER: '' },
    encoding: 'utf8',
  });
}

describe('configuration read from SSM at run time', () => {
  it('answers every parameter of the contract, seeded under the stage\'s names, through the AWS CLI', () => {
    const out = JSON.parse(aws('ssm', 'get-parameter', '--name', '/WEBSOCKET_STAGE'));
    expect(out.Parameter).toMatchObject({ Name: '/WEBSOCKET_STAGE', Value: endpoints().stage });
    // The stack seeds from parameters.ts itself (a value per key), so none can be left out.
    const names = stageNames(endpoints().stage);
    const wanted = ALL_PARAMETERS.map((p) => names.parameter(p));
    const found: { Name: string; Value: string }[] = [];
    for (let i = 0; i < wanted.length; i += 10) {
      const got = JSON.parse(aws('ssm', 'get-parameters', '--names', ...wanted.slice(i, i + 10))); // at most 10 a call
      expect(got.InvalidParameters).toEqual([]);
      found.push(...got.Parameters);
    }
    expect(found.map((p) => p.Name).sort()).toEqual([...wanted].sort());
    for (const p of found) expect(p.Value).toBeTruthy();
    expect(JSON.parse(aws('ssm', 'get-parameter', '--name', names.parameters.usersTable)).Parameter.Value).toBe('Users');
  });

  it('takes a parameter changed with put-parameter --overwrite within the cache time, without a restart', async () => {
    const user = await newUser('Config Watcher');
    const clientId = endpoints().clientId;
    // A wrong client id makes every token fail verification; the right one makes them pass again.
    aws('ssm', 'put-parameter', '--name', '/CLIENT_ID', '--value', 'someotherclient', '--type', 'String', '--overwrite');
    try {
      await eventually(async () => expectError(await call(endpoints().auth, 'POST', '/signOut', { token: user.accessToken }), 401));
    } finally {
      aws('ssm', 'put-parameter', '--name', '/CLIENT_ID', '--value', clientId, '--type', 'String', '--overwrite');
    }
    await eventually(async () => expect((await call(endpoints().auth, 'POST', '/signOut', { token: user.accessToken })).status).toBe(204));
  });
});

/** Retries an assertion for up to the config cache time (2 s in tests) plus slack. */
async function eventually(assertion: () => Promise<unknown>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
