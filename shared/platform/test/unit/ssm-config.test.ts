import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { MissingParameterError, SsmConfig } from '../../src/config/ssm-config';
import { Parameter } from '../../src/config/parameters';

/** A fake SSM that counts GetParameters calls and serves a mutable map. */
function fakeSsm(values: Record<string, string>) {
  const calls: string[][] = [];
  const client = {
    send: async (command: GetParametersCommand) => {
      const names = command.input.Names ?? [];
      calls.push(names);
      await new Promise((r) => setImmediate(r));
      return {
        Parameters: names.filter((n) => n in values).map((Name) => ({ Name, Value: values[Name] })),
        InvalidParameters: names.filter((n) => !(n in values)),
      };
    },
  } as unknown as SSMClient;
  return { client, calls, values };
}

describe('SsmConfig', () => {
  it('caches values for the TTL and re-reads them afterwards', async () => {
    let now = 1_000;
    const ssm = fakeSsm({ '/WEBSOCKET_STAGE': 'dev' });
    const config = new SsmConfig(ssm.client, 30_000, () => now);
    expect(await config.get(Parameter.websocketStage)).toBe('dev');
    ssm.values['/WEBSOCKET_STAGE'] = 'prod';
    now += 29_999;
    expect(await config.get(Parameter.websocketStage)).toBe('dev');
    now += 1;
    expect(await config.get(Parameter.websocketStage)).toBe('prod');
    expect(ssm.calls).toHaveLength(2);
  });

  it('asks for at most 10 names per call and shares concurrent misses', async () => {
    const all = Object.values(Parameter);
    const ssm = fakeSsm(Object.fromEntries(all.map((n) => [n, `v${n}`])));
    const config = new SsmConfig(ssm.client, 30_000);
    const [a, b] = await Promise.all([config.getMany(all), config.getMany(all)]);
    expect(a).toEqual(b);
    expect(ssm.calls.map((c) => c.length)).toEqual([10, all.length - 10]);
  });

  it('names every missing parameter, and find() answers undefined for one', async () => {
    const config = new SsmConfig(fakeSsm({ '/REDIS_HOST': 'h' }).client, 30_000);
    await expect(config.getMany([Parameter.redisHost, Parameter.redisPort, Parameter.clientId])).rejects.toEqual(
      new MissingParameterError(['/REDIS_PORT', '/CLIENT_ID']),
    );
    expect(await config.find(Parameter.redisPort)).toBeUndefined();
  });

  it('reads a deployment\'s parameters under its SSM_PREFIX, by the contract\'s names', async () => {
    const ssm = fakeSsm({ '/prod/REDIS_HOST': 'prod-host', '/REDIS_HOST': 'dev-host', '/REDIS_PORT': '6379' });
    const config = new SsmConfig(ssm.client, 30_000, Date.now, '/prod');
    expect(await config.get(Parameter.redisHost)).toBe('prod-host');
    // The unprefixed name of another deployment is never read in its place.
    await expect(config.getMany([Parameter.redisHost, Parameter.redisPort])).rejects.toEqual(new MissingParameterError(['/REDIS_PORT']));
    expect(ssm.calls).toEqual([['/prod/REDIS_HOST'], ['/prod/REDIS_PORT']]);
  });

  it('takes SSM_PREFIX from the environment, and refuses one that is not a path', async () => {
    const previous = process.env.SSM_PREFIX;
    try {
      process.env.SSM_PREFIX = '/blue';
      const ssm = fakeSsm({ '/blue/ENABLE_METRICS': 'true' });
      expect(await new SsmConfig(ssm.client, 30_000).find(Parameter.enableMetrics)).toBe('true');
      delete process.env.SSM_PREFIX;
      expect(await new SsmConfig(fakeSsm({ '/ENABLE_METRICS': 'false' }).client, 30_000).find(Parameter.enableMetrics)).toBe('false');
      for (const wrong of ['prod', '/prod/', 'prod/x', '/pr od']) expect(() => new SsmConfig(ssm.client, 30_000, Date.now, wrong)).toThrow(/SSM_PREFIX/);
    } finally {
      if (previous === undefined) delete process.env.SSM_PREFIX;
      else process.env.SSM_PREFIX = previous;
    }
  });
});
