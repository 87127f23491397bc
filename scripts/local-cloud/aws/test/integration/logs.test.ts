import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand,
  DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, InvalidParameterException, PutLogEventsCommand,
  ResourceAlreadyExistsException, ResourceNotFoundException, type FilterLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { startLocalAws, type LocalAws } from '../../server';
import { ACCOUNT, cli, sdkConfig, type Json } from '../support';

jest.setTimeout(60_000);

let aws: LocalAws;
let logs: CloudWatchLogsClient;
const GROUP = '/aws/lambda/messageService-dev-sendMessage';
const T = Date.UTC(2030, 0, 1, 12, 0, 0);

beforeAll(async () => {
  aws = await startLocalAws({ port: 0, region: 'us-east-1' });
  logs = new CloudWatchLogsClient(sdkConfig(aws));
});
afterAll(async () => {
  logs.destroy();
  await aws.stop();
});

describe('CloudWatch Logs groups and streams through SDK v3', () => {
  it('creates groups (once) and streams, and describes them', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/messageService-dev-getMessage' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/elasticache/realtime-redis' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: '2030/01/01/[$LATEST]aaa' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: '2030/01/01/[$LATEST]bbb' }));
    await expect(logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: '2030/01/01/[$LATEST]aaa' })))
      .rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(logs.send(new CreateLogStreamCommand({ logGroupName: '/nope', logStreamName: 's' }))).rejects.toThrow(ResourceNotFoundException);

    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual(['/aws/lambda/messageService-dev-getMessage', GROUP]);
    expect(groups.logGroups?.[1]).toMatchObject({ arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`, creationTime: expect.any(Number) });
    const paged = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
    expect(paged.logGroups).toHaveLength(2);
    const rest = await logs.send(new DescribeLogGroupsCommand({ limit: 2, nextToken: paged.nextToken }));
    expect(rest.logGroups?.map((g) => g.logGroupName)).toEqual([GROUP]);
  });

  it('puts events and reads them back with GetLogEvents tokens', async () => {
    const logStreamName = '2030/01/01/[$LATEST]aaa';
    const put = await logs.send(new PutLogEventsCommand({
      logGroupName: GROUP, logStreamName,
      logEvents: [0, 1, 2, 3, 4].map((k) => ({ timestamp: T + k * 1000, message: `line ${k}` })),
    }));
    expect(put.nextSequenceToken).toEqual(expect.any(String));
    await expect(logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 'missing', logEvents: [{ timestamp: T, message: 'x' }] })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName, logEvents: [{ timestamp: T + 5, message: 'b' }, { timestamp: T, message: 'a' }] })))
      .rejects.toBeInstanceOf(InvalidParameterException);

    const head = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, startFromHead: true, limit: 2 }));
    expect(head.events?.map((e) => e.message)).toEqual(['line 0', 'line 1']);
    expect(head.events?.[0]).toMatchObject({ timestamp: T, ingestionTime: expect.any(Number) });
    const next = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, limit: 2, nextToken: head.nextForwardToken }));
    expect(next.events?.map((e) => e.message)).toEqual(['line 2', 'line 3']);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, limit: 2 }));
    expect(tail.events?.map((e) => e.message)).toEqual(['line 3', 'line 4']);
    const back = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, limit: 2, nextToken: tail.nextBackwardToken }));
    expect(back.events?.map((e) => e.message)).toEqual(['line 1', 'line 2']);
    const window = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, startTime: T + 1000, endTime: T + 3000, startFromHead: true }));
    expect(window.events?.map((e) => e.message)).toEqual(['line 1', 'line 2']);

    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: GROUP, orderBy: 'LastEventTime', descending: true }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual(['2030/01/01/[$LATEST]aaa', '2030/01/01/[$LATEST]bbb']);
    expect(streams.logStreams?.[0]).toMatchObject({ firstEventTimestamp: T, lastEventTimestamp: T + 4000 });
  });
});

describe('FilterLogEvents', () => {
  const lines = [
    { s: 'a', t: 0, m: '2030-01-01T12:00:00.000Z\treq-1\tINFO\t{"level":"INFO","msg":"message stored","correlationId":"abc","latency":12}' },
    { s: 'b', t: 1, m: '{"level":"ERROR","msg":"fan-out failed","correlationId":"abc","latency":250,"error":{"code":"GoneException"},"tags":["ws","sns"]}' },
    { s: 'a', t: 2, m: '{"level":"WARN","msg":"slow","correlationId":"def","latency":120,"retry":null}' },
    { s: 'b', t: 3, m: 'ERROR Failed to process record: timeout' },
    { s: 'a', t: 4, m: 'START RequestId: req-2 Version: $LATEST' },
    { s: 'b', t: 5, m: 'WARN Exiting after retry' },
  ];
  const group = '/aws/lambda/realTimeService-dev-snsFanoutHandler';
  beforeAll(() => {
    for (const l of lines) aws.logs.append(group, l.s, [{ timestamp: T + l.t * 1000, message: l.m }]);
  });
  const filter = async (input: Partial<FilterLogEventsCommandInput>) =>
    (await logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }))).events?.map((e) => lines.findIndex((l) => l.m === e.message));

  it('matches terms, quoted phrases, ?alternatives and -exclusions', async () => {
    expect(await filter({})).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await filter({ filterPattern: 'ERROR' })).toEqual([1, 3]);
    expect(await filter({ filterPattern: '"Failed to process"' })).toEqual([3]);
    expect(await filter({ filterPattern: 'ERROR timeout' })).toEqual([3]);
    expect(await filter({ filterPattern: '?START ?Exiting' })).toEqual([4, 5]);
    expect(await filter({ filterPattern: 'WARN -Exiting' })).toEqual([2]);
    expect(await filter({ filterPattern: '%Req[a-z]+Id%' })).toEqual([4]);
  });

  it('matches JSON patterns (also on Lambda-prefixed lines)', async () => {
    expect(await filter({ filterPattern: '{ $.correlationId = "abc" }' })).toEqual([0, 1]);
    expect(await filter({ filterPattern: '{ $.correlationId = abc }' })).toEqual([0, 1]);
    expect(await filter({ filterPattern: '{ $.level = "ERROR" && $.latency > 100 }' })).toEqual([1]);
    expect(await filter({ filterPattern: '{ ($.latency >= 120) || $.level = "INFO" }' })).toEqual([0, 1, 2]);
    expect(await filter({ filterPattern: '{ $.error.code = "Gone*" }' })).toEqual([1]);
    expect(await filter({ filterPattern: '{ $.tags[1] = "sns" }' })).toEqual([1]);
    expect(await filter({ filterPattern: '{ $.correlationId != "abc" }' })).toEqual([2]);
    expect(await filter({ filterPattern: '{ $.retry IS NULL }' })).toEqual([2]);
    expect(await filter({ filterPattern: '{ $.error NOT EXISTS && $.level = * }' })).toEqual([0, 2]);
    await expect(filter({ filterPattern: '{ $.latency > "x" }' })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(filter({ filterPattern: '[ip, user]' })).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('narrows by streams, time and identifier, and pages with nextToken', async () => {
    expect(await filter({ logStreamNames: ['b'] })).toEqual([1, 3, 5]);
    expect(await filter({ startTime: T + 2000, endTime: T + 4000 })).toEqual([2, 3, 4]);
    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}:*`;
    const out = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: arn, filterPattern: 'ERROR' }));
    expect(out.events?.map((e) => [e.logStreamName, e.timestamp])).toEqual([['b', T + 1000], ['b', T + 3000]]);
    expect(out.events?.[0]).toMatchObject({ eventId: expect.any(String), ingestionTime: expect.any(Number) });

    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 4, nextToken }));
      seen.push(...(page.events ?? []).map((e) => e.message ?? ''));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(2);
    expect(seen).toEqual(lines.map((l) => l.m));
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: '/none' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('programmatic append accepts plain strings and creates group and stream', async () => {
    aws.logs.append('/aws/lambda/fresh', 'stream-1', ['hello', 'world']);
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/fresh', filterPattern: 'world' }));
    expect(out.events?.map((e) => [e.logStreamName, e.message])).toEqual([['stream-1', 'world']]);
  });

  it('deletes a log group', async () => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/fresh' }));
    await expect(logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/fresh' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('CloudWatch Logs through AWS CLI v2', () => {
  it('filter-log-events with a JSON pattern, and describe-log-groups', async () => {
    const group = '/aws/lambda/realTimeService-dev-snsFanoutHandler';
    const out: Json = await cli(aws, 'logs', 'filter-log-events', '--log-group-name', group, '--filter-pattern', '{ $.correlationId = "abc" }',
      '--start-time', String(T), '--end-time', String(T + 10_000));
    expect(out.events.map((e: Json) => [e.logStreamName, e.timestamp])).toEqual([['a', T], ['b', T + 1000]]);
    expect(out.events[1].message).toContain('fan-out failed');
    const groups: Json = await cli(aws, 'logs', 'describe-log-groups', '--log-group-name-prefix', '/aws/lambda/realTime');
    expect(groups.logGroups.map((g: Json) => g.logGroupName)).toEqual([group]);
  });
});
