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
});
