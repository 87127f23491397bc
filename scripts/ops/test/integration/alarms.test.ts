import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { awsConfig, endpoints } from '../../../../test/support/stack';
import { awsCli as runAwsCli } from '../../../lib/local-aws';
import { lambdaFunctions } from '../../catalog';
import { opsJson } from '../support';

type AlarmsRun = { dryRun: boolean; topic: { arn: string; action: string }; email?: { action: string }; alarms: { name: string; action: string }[] };

async function allAlarms(): Promise<MetricAlarm[]> {
  const cw = new CloudWatchClient(awsConfig(endpoints().cloudwatch));
  const out: MetricAlarm[] = [];
  let token: string | undefined;
  do {
    const page = await cw.send(new DescribeAlarmsCommand({ NextToken: token, MaxRecords: 100 }));
    out.push(...(page.MetricAlarms ?? []));
    token = page.NextToken;
  } while (token);
  cw.destroy();
  return out;
}

async function topicArns(name: string): Promise<string[]> {
  const sns = new SNSClient(awsConfig(endpoints().sns));
  const arns = ((await sns.send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn!).filter((a) => a.endsWith(`:${name}`));
  sns.destroy();
  return arns;
}

/** The AWS CLI against the stand-ins, the way the guide runs it. */
const awsCli = (...args: string[]) => runAwsCli<any>({ endpoint: endpoints().cloudwatch, region: endpoints().region }, ...args);

describe('ops alarms', () => {
  it('--dry-run says what it would do and changes nothing', async () => {
    const before = await allAlarms();
    const plan = await opsJson<AlarmsRun>('alarms', '--dry-run', '--topic', 'ops-dry-run-alarms', '--email', 'dry@example.com');
    expect(plan.dryRun).toBe(true);
    expect(plan.topic.action).toBe('would create');
    expect(plan.email!.action).toBe('would subscribe');
    expect(plan.alarms.length).toBeGreaterThan(30);
    expect(plan.alarms.every((a) => a.action.startsWith('would be '))).toBe(true);
    expect(await topicArns('ops-dry-run-alarms')).toEqual([]);
    expect(await allAlarms()).toEqual(before);
  });

  it('creates the topic, the subscription and the alarms once: a second run changes nothing', async () => {
    const first = await opsJson<AlarmsRun>('alarms', '--email', 'oncall@example.com');
    const afterFirst = await allAlarms();
    const second = await opsJson<AlarmsRun>('alarms', '--email', 'oncall@example.com');
    const afterSecond = await allAlarms();

    expect(second.alarms.map((a) => a.name)).toEqual(first.alarms.map((a) => a.name));
    expect(second.alarms.every((a) => a.action === 'unchanged')).toBe(true);
    expect(second.topic.action).toBe('unchanged');
    expect(second.email!.action).toBe('unchanged');
    expect(afterSecond).toEqual(afterFirst);

    const arns = await topicArns('workshop-alarms');
    expect(arns).toEqual([first.topic.arn]);
    const sns = new SNSClient(awsConfig(endpoints().sns));
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arns[0] }))).Subscriptions ?? [];
    sns.destroy();
    expect(subs.filter((s) => s.Endpoint === 'oncall@example.com')).toHaveLength(1);

    const mine = new Map(afterSecond.filter((a) => first.alarms.some((x) => x.name === a.AlarmName)).map((a) => [a.AlarmName!, a]));
    expect(mine.size).toBe(first.alarms.length);
    for (const a of mine.values()) expect(a.AlarmActions).toEqual([first.topic.arn]);
    expect(mine.get('rt-message-errors')).toMatchObject({
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: [{ Name: 'FunctionName', Value: 'realTimeService-dev-message' }],
    });
    expect(mine.get('ddb-messages-throttles')).toMatchObject({
      Namespace: 'AWS/DynamoDB', MetricName: 'WriteThrottleEvents', ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'TableName', Value: 'Messages' }],
    });
    expect(mine.get('rt-fanout-failures')).toMatchObject({ Namespace: 'RealTimeChat', MetricName: 'FanoutFailures' });
    for (const service of ['authService', 'connectService', 'messageService']) {
      expect(mine.get(`apigw-5xx-${service}`)).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: `dev-${service}` }] });
    }
    for (const fn of lambdaFunctions('dev')) {
      expect(mine.get(`${fn.fullName}-throttles`)).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: fn.fullName }] });
    }
  });

  it('the guide\'s own aws CLI commands work against the local stand-ins, and the command brings their alarm in line', async () => {
    const e = endpoints();
    const topic = await awsCli('sns', 'create-topic', '--name', 'workshop-alarms');
    expect(topic.TopicArn).toBe(`arn:aws:sns:${e.region}:000000000000:workshop-alarms`);
    await awsCli('sns', 'subscribe', '--topic-arn', topic.TopicArn, '--protocol', 'email', '--notification-endpoint', 'you@example.com');
    await awsCli(
      'cloudwatch', 'put-metric-alarm', '--alarm-name', 'rt-message-errors', '--metric-name', 'Errors', '--namespace', 'AWS/Lambda',
      '--statistic', 'Sum', '--period', '300', '--threshold', '1', '--comparison-operator', 'GreaterThanOrEqualToThreshold',
      '--evaluation-periods', '1', '--dimensions', 'Name=FunctionName,Value=realTimeService-dev-message', '--alarm-actions', topic.TopicArn,
    );
    await awsCli(
      'cloudwatch', 'put-metric-alarm', '--alarm-name', 'ddb-messages-throttles', '--metric-name', 'WriteThrottleEvents', '--namespace', 'AWS/DynamoDB',
      '--statistic', 'Sum', '--period', '300', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold',
      '--evaluation-periods', '1', '--dimensions', 'Name=TableName,Value=Messages', '--alarm-actions', topic.TopicArn,
    );
    const described = await awsCli('cloudwatch', 'describe-alarms', '--alarm-names', 'rt-message-errors', 'ddb-messages-throttles');
    expect(described.MetricAlarms.map((a: MetricAlarm) => a.AlarmName).sort()).toEqual(['ddb-messages-throttles', 'rt-message-errors']);

    const after = await opsJson<AlarmsRun>('alarms');
    const action = (name: string) => after.alarms.find((a) => a.name === name)!.action;
    expect(action('rt-message-errors')).toBe('updated'); // the guide's command leaves out the description and missing-data handling
    expect(action('ddb-messages-throttles')).toBe('updated');
    const again = await opsJson<AlarmsRun>('alarms');
    expect(again.alarms.every((a) => a.action === 'unchanged')).toBe(true);
    expect(await topicArns('workshop-alarms')).toHaveLength(1);
  });
});
