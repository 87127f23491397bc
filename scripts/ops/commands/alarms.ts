import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type ComparisonOperator,
  type MetricAlarm,
  type Statistic,
} from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { stageNames, type DeploymentNames } from '@shared/platform/config/deployment-names';
import { findApiIds, type ApiIds } from '../api-ids';
import { lambdaFunctions, METRICS_NAMESPACE } from '../catalog';
import { stringOption, type Command } from '../command';
import { table, UsageError } from '../output';

export interface AlarmSpec {
  AlarmName: string;
  AlarmDescription: string;
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  Statistic: Statistic;
  Period: number;
  EvaluationPeriods: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData: string;
}

const FIVE_MINUTES = 300;

/**
 * The alerting baseline of operations guide §4: the guide's two alarms by their names, plus
 * API Gateway 5xx per HTTP API, Lambda Throttles per function, and the fan-out failure metric.
 * Names carry the stage's name qualifier as every account-unique name does (none for dev,
 * `rt-message-errors-prod` for prod), so stages sharing an account do not collide.
 */
export function alarmPlan(stage: string, apis: ApiIds, names: DeploymentNames = stageNames(stage)): AlarmSpec[] {
  const suffix = names.suffix;
  const base = { Statistic: 'Sum' as Statistic, Period: FIVE_MINUTES, EvaluationPeriods: 1, Threshold: 1, TreatMissingData: 'notBreaching' };
  const atLeastOne = { ...base, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as ComparisonOperator };
  const plan: AlarmSpec[] = [
    {
      ...atLeastOne,
      AlarmName: `rt-message-errors${suffix}`,
      AlarmDescription: `Errors of the WebSocket message route (realTimeService-${stage}-message)`,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: `realTimeService-${stage}-message` }],
    },
    {
      ...base,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmName: `ddb-messages-throttles${suffix}`,
      AlarmDescription: `Write throttling on the ${names.messagesTable} table`,
      Namespace: 'AWS/DynamoDB',
      MetricName: 'WriteThrottleEvents',
      Dimensions: [{ Name: 'TableName', Value: names.messagesTable }],
    },
    {
      ...atLeastOne,
      AlarmName: `rt-fanout-failures${suffix}`,
      AlarmDescription: `Events snsFanoutHandler could not deliver (custom metric; needs ${names.parameters.enableMetrics}=true)`,
      Namespace: METRICS_NAMESPACE,
      MetricName: 'FanoutFailures',
      Dimensions: [],
    },
    {
      ...atLeastOne,
      AlarmName: `rt-event-publish-failures${suffix}`,
      AlarmDescription: `Durable events that could not be published to ${names.chatTopic} (custom metric; needs ${names.parameters.enableMetrics}=true)`,
      Namespace: METRICS_NAMESPACE,
      MetricName: 'EventPublishFailures',
      Dimensions: [],
    },
  ];
  for (const [service, apiId] of Object.entries(apis.http)) {
    plan.push({
      ...atLeastOne,
      AlarmName: `apigw-5xx-${service}${suffix}`,
      AlarmDescription: `5xx answers of the ${service} HTTP API`,
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: apiId! }],
    });
  }
  for (const fn of lambdaFunctions(stage)) {
    plan.push({
      ...atLeastOne,
      AlarmName: `${fn.fullName}-throttles`,
      AlarmDescription: `Throttled invocations of ${fn.fullName}`,
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: fn.fullName }],
    });
  }
  return plan;
}

/** True when an existing alarm already says what the spec says (so nothing is written). */
export function sameAlarm(existing: MetricAlarm, spec: AlarmSpec, topicArn: string): boolean {
  const dims = (d: { Name?: string; Value?: string }[] = []) => JSON.stringify(d.map((x) => [x.Name, x.Value]).sort());
  return (
    existing.Namespace === spec.Namespace &&
    existing.MetricName === spec.MetricName &&
    dims(existing.Dimensions) === dims(spec.Dimensions) &&
    existing.Statistic === spec.Statistic &&
    existing.Period === spec.Period &&
    existing.EvaluationPeriods === spec.EvaluationPeriods &&
    existing.Threshold === spec.Threshold &&
    existing.ComparisonOperator === spec.ComparisonOperator &&
    existing.TreatMissingData === spec.TreatMissingData &&
    existing.AlarmDescription === spec.AlarmDescription &&
    JSON.stringify(existing.AlarmActions ?? []) === JSON.stringify([topicArn])
  );
}

async function existingAlarms(cw: CloudWatchClient, names: string[]): Promise<Map<string, MetricAlarm>> {
  const found = new Map<string, MetricAlarm>();
  for (let i = 0; i < names.length; i += 100) {
    let token: string | undefined;
    do {
      const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), AlarmTypes: ['MetricAlarm'], NextToken: token }));
      for (const a of out.MetricAlarms ?? []) found.set(a.AlarmName!, a);
      token = out.NextToken;
    } while (token);
  }
  return found;
}

async function findTopic(sns: SNSClient, name: string): Promise<string | undefined> {
  let token: string | undefined;
  do {
    const out = await sns.send(new ListTopicsCommand({ NextToken: token }));
    const hit = out.Topics?.find((t) => t.TopicArn?.split(':').pop() === name);
    if (hit) return hit.TopicArn;
    token = out.NextToken;
  } while (token);
  return undefined;
}

async function hasSubscription(sns: SNSClient, topicArn: string, email: string): Promise<boolean> {
  let token: string | undefined;
  do {
    const out = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }));
    if (out.Subscriptions?.some((s) => s.Protocol === 'email' && s.Endpoint?.toLowerCase() === email.toLowerCase())) return true;
    token = out.NextToken;
  } while (token);
  return false;
}

export const alarmsCommand: Command = {
  name: 'alarms',
  summary: 'create (or bring up to date) the alarm topic, an optional email subscription and the alarms; idempotent',
  usage: 'alarms [--email you@example.com] [--topic workshop-alarms] [--dry-run] [--json]',
  options: {
    email: { type: 'string', description: 'subscribe this address to the alarm topic (once; AWS mails a confirmation link)' },
    topic: { type: 'string', description: "alarm topic name (default workshop-alarms, with the stage's name qualifier outside dev: workshop-alarms-<stage>)" },
    'dry-run': { type: 'boolean', description: 'print what would be created or changed, change nothing' },
  },
  async run({ target, values, io }) {
    const topicName = stringOption(values, 'topic') ?? target.names.alarmTopic;
    const email = stringOption(values, 'email');
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UsageError(`--email: "${email}" is not an email address`);
    const dryRun = Boolean(values['dry-run']);
    const sns = new SNSClient(target.client('sns'));
    const cw = new CloudWatchClient(target.client('cloudwatch'));
    try {
      const apis = await findApiIds(target);
      const plan = alarmPlan(target.stage, apis, target.names);
      const missingApis = ['authService', 'connectService', 'messageService'].filter((s) => !(s in apis.http));
      if (missingApis.length) io.err(`no HTTP API found for ${missingApis.join(', ')} (not deployed to stage ${target.stage}?): their 5xx alarms are left out`);

      const existingTopic = await findTopic(sns, topicName);
      const topicArn = dryRun ? (existingTopic ?? `(new topic ${topicName})`) : (await sns.send(new CreateTopicCommand({ Name: topicName }))).TopicArn!;
      const topicAction = existingTopic ? 'unchanged' : dryRun ? 'would create' : 'created';

      let subscription: string | undefined;
      if (email) {
        const exists = existingTopic ? await hasSubscription(sns, existingTopic, email) : false;
        if (exists) subscription = 'unchanged';
        else if (dryRun) subscription = 'would subscribe';
        else {
          await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: email }));
          subscription = 'subscribed (confirm the link AWS emails)';
        }
      }

      const existing = await existingAlarms(cw, plan.map((a) => a.AlarmName));
      const results: { name: string; metric: string; action: string }[] = [];
      for (const spec of plan) {
        const current = existing.get(spec.AlarmName);
        const action = current && sameAlarm(current, spec, topicArn) ? 'unchanged' : current ? 'updated' : 'created';
        if (action !== 'unchanged' && !dryRun) await cw.send(new PutMetricAlarmCommand({ ...spec, AlarmActions: [topicArn] }));
        const dims = spec.Dimensions.map((d) => d.Value).join(',');
        results.push({ name: spec.AlarmName, metric: `${spec.Namespace} ${spec.MetricName}${dims ? ` (${dims})` : ''}`, action: dryRun && action !== 'unchanged' ? `would be ${action}` : action });
      }

      if (values.json) {
        io.out(JSON.stringify({ dryRun, topic: { name: topicName, arn: topicArn, action: topicAction }, email: email && { address: email, action: subscription }, alarms: results }, null, 2));
        return 0;
      }
      io.out(`${dryRun ? 'Dry run on' : 'Alarms on'} ${target.describe()}`);
      io.out(`topic ${topicName}: ${topicAction} ${existingTopic ?? (dryRun ? '' : topicArn)}`.trimEnd());
      if (email) io.out(`email ${email}: ${subscription}`);
      io.out();
      table(['ALARM', 'METRIC', 'RESULT'], results.map((r) => [r.name, r.metric, r.action])).forEach((l) => io.out(l));
      const count = (a: string) => results.filter((r) => r.action.endsWith(a)).length;
      io.out(`\n${results.length} alarms: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged`);
      return 0;
    } finally {
      sns.destroy();
      cw.destroy();
    }
  },
};
