import {
  CloudWatchClient, DashboardInvalidInputError, DeleteAlarmsCommand, DeleteDashboardsCommand, DescribeAlarmsCommand, GetDashboardCommand,
  GetMetricDataCommand, GetMetricStatisticsCommand, InvalidParameterValueException, ListDashboardsCommand, ListMetricsCommand,
  MissingRequiredParameterException, PutDashboardCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand,
  type ListMetricsCommandInput, type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { startLocalAws, type LocalAws } from '../../server';
import { ACCOUNT, cli, cliError, sdkConfig, type Json } from '../support';

jest.setTimeout(60_000);

let aws: LocalAws;
let cw: CloudWatchClient;
// Aligned to 10 minutes, so the 600 s period below sees at(0)…at(3) in one bucket whatever the clock says.
const t0 = Math.floor(Date.now() / 600_000) * 600_000 - 20 * 60_000;
const at = (minutes: number) => new Date(t0 + minutes * 60_000);
const Dimensions = [{ Name: 'Stage', Value: 'dev' }];

beforeAll(async () => {
  aws = await startLocalAws({ port: 0, region: 'us-east-1' });
  cw = new CloudWatchClient(sdkConfig(aws));
});
afterAll(async () => {
  cw.destroy();
  await aws.stop();
});

describe('CloudWatch metrics through SDK v3 (JSON 1.0)', () => {
  beforeAll(async () => {
    await cw.send(new PutMetricDataCommand({
      Namespace: 'RealTimeChat',
      MetricData: [
        { MetricName: 'MessagesPublished', Dimensions, Value: 1, Unit: 'Count', Timestamp: at(0) },
        { MetricName: 'MessagesPublished', Dimensions, Value: 3, Unit: 'Count', Timestamp: at(0) },
        { MetricName: 'MessagesPublished', Dimensions, Values: [10, 20], Counts: [1, 3], Unit: 'Count', Timestamp: at(1) },
        { MetricName: 'MessagesPublished', Dimensions, StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 2, Maximum: 8 }, Unit: 'Count', Timestamp: at(2) },
        { MetricName: 'ActiveConnections', Dimensions: [{ Name: 'Stage', Value: 'dev' }, { Name: 'Service', Value: 'realtime' }], Value: 7 },
        { MetricName: 'FanoutFailures', Value: 0 },
      ],
    }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'Other', MetricData: [{ MetricName: 'MessagesPublished', Value: 1 }] }));
  });

  it('GetMetricStatistics aggregates Value, Values/Counts and StatisticValues per period', async () => {
    const out = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'RealTimeChat', MetricName: 'MessagesPublished', Dimensions, StartTime: at(-1), EndTime: at(3), Period: 60,
      Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'], ExtendedStatistics: ['p50'],
    }));
    expect(out.Label).toBe('MessagesPublished');
    const points = [...(out.Datapoints ?? [])].sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
    expect(points).toEqual([
      { Timestamp: at(0), SampleCount: 2, Sum: 4, Average: 2, Minimum: 1, Maximum: 3, Unit: 'Count', ExtendedStatistics: { p50: 1 } },
      { Timestamp: at(1), SampleCount: 4, Sum: 70, Average: 17.5, Minimum: 10, Maximum: 20, Unit: 'Count', ExtendedStatistics: { p50: 20 } },
      { Timestamp: at(2), SampleCount: 4, Sum: 20, Average: 5, Minimum: 2, Maximum: 8, Unit: 'Count', ExtendedStatistics: {} },
    ]);
  });

  it('matches dimensions exactly and filters by Unit', async () => {
    const base = { Namespace: 'RealTimeChat', MetricName: 'MessagesPublished', StartTime: at(-1), EndTime: at(3), Period: 60, Statistics: ['Sum' as const] };
    expect((await cw.send(new GetMetricStatisticsCommand(base))).Datapoints).toEqual([]);
    expect((await cw.send(new GetMetricStatisticsCommand({ ...base, Dimensions, Unit: 'Seconds' }))).Datapoints).toEqual([]);
    expect((await cw.send(new GetMetricStatisticsCommand({ ...base, Dimensions, Unit: 'Count', Period: 600 }))).Datapoints?.[0]?.Sum).toBe(94);
  });

  it('GetMetricData returns each MetricStat query newest first', async () => {
    const metric = { Namespace: 'RealTimeChat', MetricName: 'MessagesPublished', Dimensions };
    const out = await cw.send(new GetMetricDataCommand({
      StartTime: at(-1), EndTime: at(3),
      MetricDataQueries: [
        { Id: 'sum', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } },
        { Id: 'max', Label: 'Peak', MetricStat: { Metric: metric, Period: 60, Stat: 'Maximum' } },
        { Id: 'hidden', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' }, ReturnData: false },
      ],
    }));
    expect(out.MetricDataResults).toEqual([
      { Id: 'sum', Label: 'MessagesPublished', Timestamps: [at(2), at(1), at(0)], Values: [20, 70, 4], StatusCode: 'Complete' },
      { Id: 'max', Label: 'Peak', Timestamps: [at(2), at(1), at(0)], Values: [8, 20, 3], StatusCode: 'Complete' },
    ]);
    const asc = await cw.send(new GetMetricDataCommand({
      StartTime: at(-1), EndTime: at(3), ScanBy: 'TimestampAscending',
      MetricDataQueries: [{ Id: 'n', MetricStat: { Metric: metric, Period: 60, Stat: 'SampleCount' } }],
    }));
    expect(asc.MetricDataResults?.[0]).toMatchObject({ Timestamps: [at(0), at(1), at(2)], Values: [2, 4, 4] });
  });

  it('ListMetrics filters by namespace, name and dimensions', async () => {
    const names = async (input: ListMetricsCommandInput) =>
      ((await cw.send(new ListMetricsCommand(input))).Metrics ?? []).map((m) => `${m.Namespace}/${m.MetricName}`).sort();
    expect(await names({ Namespace: 'RealTimeChat' })).toEqual(['RealTimeChat/ActiveConnections', 'RealTimeChat/FanoutFailures', 'RealTimeChat/MessagesPublished']);
    expect(await names({ MetricName: 'MessagesPublished' })).toEqual(['Other/MessagesPublished', 'RealTimeChat/MessagesPublished']);
    expect(await names({ Dimensions: [{ Name: 'Service' }] })).toEqual(['RealTimeChat/ActiveConnections']);
    expect(await names({ Namespace: 'RealTimeChat', Dimensions: [{ Name: 'Stage', Value: 'dev' }] })).toEqual(['RealTimeChat/ActiveConnections', 'RealTimeChat/MessagesPublished']);
    expect(await names({ Dimensions: [{ Name: 'Stage', Value: 'prod' }] })).toEqual([]);
    const one = await cw.send(new ListMetricsCommand({ Namespace: 'RealTimeChat', MetricName: 'ActiveConnections' }));
    expect(one.Metrics?.[0].Dimensions).toEqual([{ Name: 'Stage', Value: 'dev' }, { Name: 'Service', Value: 'realtime' }]);
  });

  it('accepts large (gzip-compressed) PutMetricData bodies', async () => {
    const MetricData: MetricDatum[] = Array.from({ length: 300 }, (_, k) => ({
      MetricName: 'Bulk', Dimensions: [{ Name: 'Shard', Value: `shard-${k % 3}-${'x'.repeat(40)}` }], Value: k, Timestamp: at(0),
    }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'Bulk', MetricData }));
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Bulk' }))).Metrics).toHaveLength(3);
  });

  it('rejects the AWS/ namespace and data without a value', async () => {
    await expect(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'x', Value: 1 }] })))
      .rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(cw.send(new PutMetricDataCommand({ Namespace: 'X', MetricData: [{ MetricName: 'x' }] }))).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
  });
});

describe('CloudWatch alarms and dashboards through SDK v3', () => {
  const alarm = {
    AlarmName: 'realtime-fanout-failures', Namespace: 'RealTimeChat', MetricName: 'FanoutFailures', Statistic: 'Sum' as const,
    Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const,
    AlarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:workshop-alarms`], TreatMissingData: 'notBreaching', Dimensions,
  };

  it('PutMetricAlarm upserts by name and DescribeAlarms filters by names and prefix', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm));
    await cw.send(new PutMetricAlarmCommand({ ...alarm, AlarmName: 'realtime-other', Threshold: 5 }));
    await cw.send(new PutMetricAlarmCommand({ ...alarm, Threshold: 3, AlarmDescription: 'Fan-out failing' }));
    const byName = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['realtime-fanout-failures'] }));
    expect(byName.MetricAlarms).toHaveLength(1);
    expect(byName.MetricAlarms?.[0]).toMatchObject({
      AlarmName: 'realtime-fanout-failures', AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:realtime-fanout-failures`,
      AlarmDescription: 'Fan-out failing', Threshold: 3, Period: 60, EvaluationPeriods: 1, StateValue: 'INSUFFICIENT_DATA',
      ActionsEnabled: true, AlarmActions: alarm.AlarmActions, Dimensions, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Sum',
    });
    expect(byName.MetricAlarms?.[0].StateUpdatedTimestamp).toBeInstanceOf(Date);
    expect(byName.MetricAlarms?.[0].AlarmConfigurationUpdatedTimestamp).toBeInstanceOf(Date);
    const byPrefix = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'realtime-' }));
    expect(byPrefix.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['realtime-fanout-failures', 'realtime-other']);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'nothing' }))).MetricAlarms).toEqual([]);
    await expect(cw.send(new PutMetricAlarmCommand({ ...alarm, AlarmName: 'broken', MetricName: undefined }))).rejects.toBeInstanceOf(MissingRequiredParameterException);
  });

  it('SetAlarmState changes state; DeleteAlarms removes and 404s on unknown names', async () => {
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'realtime-other', StateValue: 'ALARM', StateReason: 'testing' }));
    const alarmed = await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(alarmed.MetricAlarms?.map((a) => [a.AlarmName, a.StateReason])).toEqual([['realtime-other', 'testing']]);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['realtime-other'] }));
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.AlarmName)).toEqual(['realtime-fanout-failures']);
    await expect(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['realtime-other'] }))).rejects.toMatchObject({ name: 'ResourceNotFound', $metadata: { httpStatusCode: 404 } });
  });

  it('puts, gets, lists and deletes dashboards', async () => {
    const body = JSON.stringify({ widgets: [{ type: 'metric', properties: { metrics: [['RealTimeChat', 'MessagesPublished']] } }] });
    expect((await cw.send(new PutDashboardCommand({ DashboardName: 'realtime-chat', DashboardBody: body }))).DashboardValidationMessages).toEqual([]);
    await cw.send(new PutDashboardCommand({ DashboardName: 'realtime-ops', DashboardBody: '{"widgets":[]}' }));
    expect(await cw.send(new GetDashboardCommand({ DashboardName: 'realtime-chat' }))).toMatchObject({
      DashboardName: 'realtime-chat', DashboardBody: body, DashboardArn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/realtime-chat`,
    });
    const list = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: 'realtime-' }));
    expect(list.DashboardEntries?.map((d) => [d.DashboardName, d.Size])).toEqual([['realtime-chat', body.length], ['realtime-ops', 14]]);
    expect(list.DashboardEntries?.[0].LastModified).toBeInstanceOf(Date);
    await expect(cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: 'not json' }))).rejects.toBeInstanceOf(DashboardInvalidInputError);
    await cw.send(new DeleteDashboardsCommand({ DashboardNames: ['realtime-ops'] }));
    // Like AWS: the query-compatible error code is ResourceNotFound (HTTP 404).
    const missing = await cw.send(new GetDashboardCommand({ DashboardName: 'realtime-ops' })).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'ResourceNotFound', Code: 'ResourceNotFound', $metadata: { httpStatusCode: 404 } });
    await expect(cw.send(new DeleteDashboardsCommand({ DashboardNames: ['realtime-ops'] }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});

describe('CloudWatch through AWS CLI v2 (query protocol)', () => {
  it('put-metric-data, get-metric-statistics, get-metric-data and list-metrics', async () => {
    const ts = at(5).toISOString();
    await cli(aws, 'cloudwatch', 'put-metric-data', '--namespace', 'CliNs', '--metric-name', 'Latency', '--unit', 'Milliseconds',
      '--dimensions', 'Stage=dev,Service=message', '--value', '40', '--timestamp', ts);
    await cli(aws, 'cloudwatch', 'put-metric-data', '--namespace', 'CliNs', '--metric-data',
      JSON.stringify([{ MetricName: 'Latency', Unit: 'Milliseconds', Timestamp: ts, Dimensions: [{ Name: 'Stage', Value: 'dev' }, { Name: 'Service', Value: 'message' }],
        Values: [10, 100], Counts: [2, 1] }]));
    await cli(aws, 'cloudwatch', 'put-metric-data', '--namespace', 'CliNs', '--metric-name', 'Latency', '--unit', 'Milliseconds',
      '--dimensions', 'Service=message,Stage=dev', '--statistic-values', 'SampleCount=2,Sum=30,Minimum=10,Maximum=20', '--timestamp', ts);

    const stats: Json = await cli(aws, 'cloudwatch', 'get-metric-statistics', '--namespace', 'CliNs', '--metric-name', 'Latency',
      '--dimensions', 'Name=Stage,Value=dev', 'Name=Service,Value=message', '--start-time', at(4).toISOString(), '--end-time', at(6).toISOString(),
      '--period', '60', '--statistics', 'Sum', 'SampleCount', 'Maximum', '--extended-statistics', 'p99');
    expect(stats).toEqual({
      Label: 'Latency',
      Datapoints: [{ Timestamp: expect.any(String), Sum: 190, SampleCount: 6, Maximum: 100, Unit: 'Milliseconds' , ExtendedStatistics: {} }],
    });
    expect(Date.parse(stats.Datapoints[0].Timestamp)).toBe(at(5).getTime());

    const data: Json = await cli(aws, 'cloudwatch', 'get-metric-data', '--start-time', at(0).toISOString(), '--end-time', at(6).toISOString(),
      '--metric-data-queries', JSON.stringify([{ Id: 'q1', MetricStat: { Metric: { Namespace: 'CliNs', MetricName: 'Latency',
        Dimensions: [{ Name: 'Service', Value: 'message' }, { Name: 'Stage', Value: 'dev' }] }, Period: 60, Stat: 'Average' } }]));
    expect(data.MetricDataResults).toEqual([{ Id: 'q1', Label: 'Latency', Timestamps: [expect.any(String)], Values: [190 / 6], StatusCode: 'Complete' }]);

    const metrics: Json = await cli(aws, 'cloudwatch', 'list-metrics', '--namespace', 'CliNs', '--dimensions', 'Name=Service,Value=message');
    expect(metrics.Metrics).toEqual([{ Namespace: 'CliNs', MetricName: 'Latency', Dimensions: [{ Name: 'Stage', Value: 'dev' }, { Name: 'Service', Value: 'message' }] }]);
  });

  it('put-metric-alarm, describe-alarms, put-dashboard and get-dashboard', async () => {
    await cli(aws, 'cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-active-connections', '--namespace', 'RealTimeChat',
      '--metric-name', 'ActiveConnections', '--statistic', 'Maximum', '--period', '300', '--evaluation-periods', '2', '--datapoints-to-alarm', '1',
      '--threshold', '1000.5', '--comparison-operator', 'GreaterThanThreshold', '--dimensions', 'Name=Stage,Value=dev',
      '--alarm-actions', `arn:aws:sns:us-east-1:${ACCOUNT}:workshop-alarms`, '--treat-missing-data', 'notBreaching', '--no-actions-enabled');
    const described: Json = await cli(aws, 'cloudwatch', 'describe-alarms', '--alarm-names', 'cli-active-connections');
    expect(described.MetricAlarms).toEqual([expect.objectContaining({
      AlarmName: 'cli-active-connections', Namespace: 'RealTimeChat', MetricName: 'ActiveConnections', Statistic: 'Maximum', Period: 300,
      EvaluationPeriods: 2, DatapointsToAlarm: 1, Threshold: 1000.5, ComparisonOperator: 'GreaterThanThreshold', ActionsEnabled: false,
      Dimensions: [{ Name: 'Stage', Value: 'dev' }], AlarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:workshop-alarms`], OKActions: [],
      StateValue: 'INSUFFICIENT_DATA', TreatMissingData: 'notBreaching',
    })]);
    expect(described.CompositeAlarms).toEqual([]);
    // The SDK (JSON) sees the alarm the CLI (query) created with proper types.
    const viaSdk = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cli-' }));
    expect(viaSdk.MetricAlarms?.[0]).toMatchObject({ Threshold: 1000.5, Period: 300, ActionsEnabled: false });

    const body = '{"widgets":[{"type":"text","x":0,"y":0,"width":6,"height":3,"properties":{"markdown":"# Chat <ops> & \\"more\\""}}]}';
    expect(await cli(aws, 'cloudwatch', 'put-dashboard', '--dashboard-name', 'cli-dash', '--dashboard-body', body)).toEqual({ DashboardValidationMessages: [] });
    expect(await cli(aws, 'cloudwatch', 'get-dashboard', '--dashboard-name', 'cli-dash')).toEqual({
      DashboardArn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/cli-dash`, DashboardBody: body, DashboardName: 'cli-dash',
    });
    expect(await cliError(aws, 'cloudwatch', 'get-dashboard', '--dashboard-name', 'nope')).toContain('(ResourceNotFound)');
    expect(await cliError(aws, 'cloudwatch', 'put-dashboard', '--dashboard-name', 'x', '--dashboard-body', '[1]')).toContain('(InvalidParameterInput)');
  });
});
