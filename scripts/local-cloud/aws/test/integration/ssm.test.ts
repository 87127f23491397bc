import {
  DeleteParameterCommand, DeleteParametersCommand, DescribeParametersCommand, GetParameterCommand, GetParametersByPathCommand,
  GetParametersCommand, ParameterAlreadyExists, ParameterNotFound, PutParameterCommand, SSMClient, type Parameter,
} from '@aws-sdk/client-ssm';
import { startLocalAws, type LocalAws } from '../../server';
import { cli, cliError, sdkConfig } from '../support';

jest.setTimeout(60_000);

let aws: LocalAws;
let ssm: SSMClient;

beforeAll(async () => {
  aws = await startLocalAws({ port: 0, region: 'us-east-1' });
  ssm = new SSMClient(sdkConfig(aws));
});
afterAll(async () => {
  ssm.destroy();
  await aws.stop();
});

describe('SSM through SDK v3', () => {
  it('creates, refuses to overwrite without Overwrite, then versions', async () => {
    const first = await ssm.send(new PutParameterCommand({ Name: '/app/WEBSOCKET_STAGE', Value: 'dev', Type: 'String' }));
    expect(first).toMatchObject({ Version: 1, Tier: 'Standard' });
    const refused = ssm.send(new PutParameterCommand({ Name: '/app/WEBSOCKET_STAGE', Value: 'prod', Type: 'String' }));
    await expect(refused).rejects.toBeInstanceOf(ParameterAlreadyExists);
    const second = await ssm.send(new PutParameterCommand({ Name: '/app/WEBSOCKET_STAGE', Value: 'prod', Overwrite: true }));
    expect(second.Version).toBe(2);

    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/app/WEBSOCKET_STAGE' }));
    expect(Parameter).toMatchObject({
      Name: '/app/WEBSOCKET_STAGE', Type: 'String', Value: 'prod', Version: 2, DataType: 'text',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/WEBSOCKET_STAGE',
    });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - (Parameter?.LastModifiedDate?.getTime() ?? 0))).toBeLessThan(10_000);
  });

  it('requires a Type for new parameters and rejects unknown types', async () => {
    await expect(ssm.send(new PutParameterCommand({ Name: '/app/untyped', Value: 'x' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new PutParameterCommand({ Name: '/app/bad', Value: 'x', Type: 'Number' as never }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers ParameterNotFound as AWS shapes it', async () => {
    const err = await ssm.send(new GetParameterCommand({ Name: '/missing' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParameterNotFound);
    expect(err).toMatchObject({ name: 'ParameterNotFound', $metadata: { httpStatusCode: 400 } });
  });

  it('stores StringList and SecureString (ciphertext unless WithDecryption)', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/LIST', Value: 'a,b,c', Type: 'StringList' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/SECRET', Value: 's3cret', Type: 'SecureString' }));
    const plain = await ssm.send(new GetParameterCommand({ Name: '/app/SECRET', WithDecryption: true }));
    expect(plain.Parameter).toMatchObject({ Type: 'SecureString', Value: 's3cret' });
    const cipher = await ssm.send(new GetParameterCommand({ Name: '/app/SECRET' }));
    expect(cipher.Parameter?.Value).not.toBe('s3cret');
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/LIST' }))).Parameter).toMatchObject({ Type: 'StringList', Value: 'a,b,c' });
  });

  it('GetParameters splits found and invalid names', async () => {
    const out = await ssm.send(new GetParametersCommand({ Names: ['/app/LIST', '/nope'] }));
    expect(out.Parameters?.map((p) => p.Name)).toEqual(['/app/LIST']);
    expect(out.InvalidParameters).toEqual(['/nope']);
  });

  it('GetParametersByPath honours Recursive and pages', async () => {
    for (const name of ['/tree/a', '/tree/b', '/tree/c', '/tree/deep/d', '/tree/deep/er/e', '/treehouse']) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: name, Type: 'String' }));
    }
    const oneLevel = await ssm.send(new GetParametersByPathCommand({ Path: '/tree' }));
    expect(oneLevel.Parameters?.map((p) => p.Name)).toEqual(['/tree/a', '/tree/b', '/tree/c']);

    const all: Parameter[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await ssm.send(new GetParametersByPathCommand({ Path: '/tree/', Recursive: true, MaxResults: 2, NextToken }));
      all.push(...(out.Parameters ?? []));
      NextToken = out.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBe(3);
    expect(all.map((p) => p.Name)).toEqual(['/tree/a', '/tree/b', '/tree/c', '/tree/deep/d', '/tree/deep/er/e']);
    await expect(ssm.send(new GetParametersByPathCommand({ Path: 'tree' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('DescribeParameters filters and pages', async () => {
    const byName = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/tree/deep'] }] }));
    expect(byName.Parameters?.map((p) => p.Name)).toEqual(['/tree/deep/d', '/tree/deep/er/e']);
    expect(byName.Parameters?.[0]).toMatchObject({ Type: 'String', Version: 1, Tier: 'Standard' });
    expect(byName.Parameters?.[0].LastModifiedDate).toBeInstanceOf(Date);
    const byPath = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/tree'] }], MaxResults: 3 }));
    expect(byPath.Parameters).toHaveLength(3);
    expect(byPath.NextToken).toBeDefined();
    const rest = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/tree'] }], NextToken: byPath.NextToken }));
    expect(rest.Parameters?.map((p) => p.Name)).toEqual(['/tree/deep/d', '/tree/deep/er/e']);
    const secure = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }] }));
    expect(secure.Parameters?.map((p) => p.Name)).toEqual(['/app/SECRET']);
  });

  it('deletes one or many parameters', async () => {
    await ssm.send(new DeleteParameterCommand({ Name: '/treehouse' }));
    await expect(ssm.send(new GetParameterCommand({ Name: '/treehouse' }))).rejects.toBeInstanceOf(ParameterNotFound);
    await expect(ssm.send(new DeleteParameterCommand({ Name: '/treehouse' }))).rejects.toBeInstanceOf(ParameterNotFound);
    const out = await ssm.send(new DeleteParametersCommand({ Names: ['/tree/a', '/tree/b', '/not-there'] }));
    expect(out.DeletedParameters).toEqual(['/tree/a', '/tree/b']);
    expect(out.InvalidParameters).toEqual(['/not-there']);
  });
});

describe('SSM through AWS CLI v2', () => {
  it('put-parameter, --overwrite, get-parameter and get-parameters-by-path', async () => {
    expect(await cli(aws, 'ssm', 'put-parameter', '--name', '/cli/ENABLE_METRICS', '--value', 'false', '--type', 'String')).toMatchObject({ Version: 1 });
    expect(await cliError(aws, 'ssm', 'put-parameter', '--name', '/cli/ENABLE_METRICS', '--value', 'true', '--type', 'String')).toContain('ParameterAlreadyExists');
    expect(await cli(aws, 'ssm', 'put-parameter', '--name', '/cli/ENABLE_METRICS', '--value', 'true', '--overwrite')).toMatchObject({ Version: 2 });
    await cli(aws, 'ssm', 'put-parameter', '--name', '/cli/sub/REDIS_PORT', '--value', '6379', '--type', 'String');

    const got = await cli(aws, 'ssm', 'get-parameter', '--name', '/cli/ENABLE_METRICS');
    expect(got.Parameter).toMatchObject({ Name: '/cli/ENABLE_METRICS', Value: 'true', Version: 2, Type: 'String' });
    expect(Date.parse(got.Parameter.LastModifiedDate)).toBeGreaterThan(Date.now() - 60_000);

    const tree = await cli(aws, 'ssm', 'get-parameters-by-path', '--path', '/cli', '--recursive');
    expect(tree.Parameters.map((p: Parameter) => [p.Name, p.Value])).toEqual([['/cli/ENABLE_METRICS', 'true'], ['/cli/sub/REDIS_PORT', '6379']]);
    expect(await cliError(aws, 'ssm', 'get-parameter', '--name', '/cli/none')).toContain('ParameterNotFound');
  });
});
