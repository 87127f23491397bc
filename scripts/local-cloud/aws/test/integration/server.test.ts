import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListSubscriptionsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalAws, type LocalAws } from '../../server';
import { ACCOUNT, sdkConfig } from '../support';

jest.setTimeout(30_000);

describe('local AWS server', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({ port: 0, region: 'eu-west-1', accountId: '123456789012' });
  });
  afterAll(() => aws.stop());

  it('listens on a real port when asked for port 0 and answers /health', async () => {
    expect(aws.port).toBeGreaterThan(0);
    expect(aws.url).toBe(`http://127.0.0.1:${aws.port}`);
    const res = await fetch(`${aws.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', services: ['ssm', 'sns', 'cloudwatch', 'logs'], region: 'eu-west-1', accountId: '123456789012' });
  });

  it('uses the configured region and account in ARNs', async () => {
    const ssm = new SSMClient({ ...sdkConfig(aws), region: 'eu-west-1' });
    await ssm.send(new PutParameterCommand({ Name: 'plain', Value: 'v', Type: 'String' }));
    expect((await ssm.send(new GetParameterCommand({ Name: 'plain' }))).Parameter?.ARN).toBe('arn:aws:ssm:eu-west-1:123456789012:parameter/plain');
    ssm.destroy();
  });

  it('answers unknown targets, actions and bad bodies with AWS-shaped errors', async () => {
    const post = (headers: Record<string, string>, body: string) => fetch(aws.url, { method: 'POST', headers, body });
    const unknownTarget = await post({ 'x-amz-target': 'AmazonSSM.StartAutomationExecution', 'content-type': 'application/x-amz-json-1.1' }, '{}');
    expect(unknownTarget.status).toBe(400);
    expect(await unknownTarget.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const badJson = await post({ 'x-amz-target': 'Logs_20140328.CreateLogGroup', 'content-type': 'application/x-amz-json-1.1' }, '{nope');
    expect(await badJson.json()).toMatchObject({ __type: 'SerializationException' });
    const cw = await post({ 'x-amz-target': 'GraniteServiceVersion20100801.GetDashboard', 'content-type': 'application/x-amz-json-1.0' }, '{"DashboardName":"x"}');
    expect(cw.status).toBe(404);
    expect(cw.headers.get('x-amzn-query-error')).toBe('ResourceNotFound;Sender');
    expect(await cw.json()).toMatchObject({ __type: 'com.amazonaws.cloudwatch#DashboardNotFoundError' });
    const query = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ConfirmSubscription&Version=2010-03-31');
    expect(query.status).toBe(400);
    expect(await query.text()).toMatch(/<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  });
});

describe('persistence with dataFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'local-aws-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('saves state on stop and restores it on the next start', async () => {
    const dataFile = path.join(dir, 'nested', 'aws.json');
    const first = await startLocalAws({ port: 0, region: 'us-east-1', dataFile });
    const ssm = new SSMClient(sdkConfig(first));
    await ssm.send(new PutParameterCommand({ Name: '/SNS_TOPIC_ARN', Value: 'x', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/SNS_TOPIC_ARN', Value: 'y', Overwrite: true }));
    const topic = first.sns.createTopic('chat-message-topic');
    first.sns.subscribe(topic, 'lambda', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:realTimeService-dev-snsFanoutHandler`);
    const cw = new CloudWatchClient(sdkConfig(first));
    await cw.send(new PutMetricDataCommand({ Namespace: 'RealTimeChat', MetricData: [{ MetricName: 'MessagesPublished', Value: 5 }] }));
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'a1', Namespace: 'RealTimeChat', MetricName: 'MessagesPublished', Statistic: 'Sum',
      Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));
    first.logs.append('/aws/lambda/x', 's', ['persisted line']);
    ssm.destroy();
    cw.destroy();
    await first.stop();
    expect(JSON.parse(await readFile(dataFile, 'utf8'))).toHaveProperty('ssm');

    const second = await startLocalAws({ port: 0, region: 'us-east-1', dataFile });
    try {
      const cfg = sdkConfig(second);
      expect((await new SSMClient(cfg).send(new GetParameterCommand({ Name: '/SNS_TOPIC_ARN' }))).Parameter).toMatchObject({ Value: 'y', Version: 2 });
      expect((await new SNSClient(cfg).send(new ListSubscriptionsCommand({}))).Subscriptions?.[0]).toMatchObject({ TopicArn: topic, Protocol: 'lambda' });
      const cw2 = new CloudWatchClient(cfg);
      expect((await cw2.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a1']);
      const stats = await cw2.send(new GetMetricStatisticsCommand({ Namespace: 'RealTimeChat', MetricName: 'MessagesPublished',
        StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000), Period: 3600, Statistics: ['Sum'] }));
      expect(stats.Datapoints?.reduce((s, d) => s + (d.Sum ?? 0), 0)).toBe(5);
      const events = await new CloudWatchLogsClient(cfg).send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/x' }));
      expect(events.events?.map((e) => e.message)).toEqual(['persisted line']);
    } finally {
      await second.stop();
    }
  });

  it('starts empty when the data file does not exist yet', async () => {
    const fresh = await startLocalAws({ port: 0, region: 'us-east-1', dataFile: path.join(dir, 'absent.json') });
    await expect(new SSMClient(sdkConfig(fresh)).send(new GetParameterCommand({ Name: '/SNS_TOPIC_ARN' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await fresh.stop();
  });
});
