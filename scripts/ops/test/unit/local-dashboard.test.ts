import { CloudWatchClient, ListMetricsCommand, PutDashboardCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { localClientConfig } from '../../../lib/local-aws';
import { startLocalAws, type LocalAws } from '../../../local-cloud/aws/server';
import { startDashboard, type DashboardServer, type RenderedWidget } from '../../../local/dashboard';
import { recordLambdaTelemetry } from '../../../local/lambda-telemetry';

const REGION = 'ap-south-1';
let aws: LocalAws;
let dashboard: DashboardServer;
let config: ReturnType<typeof localClientConfig>;

beforeAll(async () => {
  aws = await startLocalAws({ port: 0, region: REGION, log: () => undefined });
  dashboard = await startDashboard({ port: 0, cloudwatchUrl: aws.url, region: REGION, stage: 'dev' });
  config = localClientConfig(REGION, aws.url);
});
afterAll(async () => {
  await dashboard.stop();
  await aws.stop();
});

const page = async (query = '') => {
  const res = await fetch(`${dashboard.url}/api/dashboard?minutes=15${query}`);
  return (await res.json()) as { name: string; source: string; widgets: RenderedWidget[] };
};
const points = (w: RenderedWidget) => (w.series ?? []).reduce((n, s) => n + s.values.length, 0);

describe('local Lambda telemetry', () => {
  it('turns serverless-offline\'s invocation lines into Lambda\'s REPORT line and AWS/Lambda metrics', async () => {
    expect(recordLambdaTelemetry(aws, 'messageService', 'dev', '(λ: sendMessage) RequestId: 1f2e-aa  Duration: 42.50 ms  Billed Duration: 43 ms')).toBe(true);
    expect(recordLambdaTelemetry(aws, 'realTimeService', 'dev', "✖ Unhandled exception in handler 'snsFanoutHandler'.")).toBe(true);
    expect(recordLambdaTelemetry(aws, 'messageService', 'dev', '{"level":"info","message":"message.sent"}')).toBe(false);

    const cw = new CloudWatchClient(config);
    const metrics = (await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda' }))).Metrics!.map((m) => `${m.MetricName} ${m.Dimensions![0].Value}`).sort();
    cw.destroy();
    expect(metrics).toEqual([
      'Duration messageService-dev-sendMessage',
      'Errors messageService-dev-sendMessage',
      'Errors realTimeService-dev-snsFanoutHandler',
      'Invocations messageService-dev-sendMessage',
      'Invocations realTimeService-dev-snsFanoutHandler',
    ]);
    const logs = new CloudWatchLogsClient(config);
    const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/messageService-dev-sendMessage' }))).events!;
    logs.destroy();
    expect(events.map((e) => e.message)).toEqual(['REPORT RequestId: 1f2e-aa\tDuration: 42.50 ms\tBilled Duration: 43 ms\tMemory Size: n/a\tMax Memory Used: n/a']);
  });
});

describe('local dashboard page', () => {
  it('serves the page and draws the built-in definition with the stand-in\'s data', async () => {
    const html = await (await fetch(dashboard.url)).text();
    expect(html).toContain('<main id="grid">');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/); // everything inline: no network needed

    const cw = new CloudWatchClient(config);
    await cw.send(new PutMetricDataCommand({ Namespace: 'RealTimeChat', MetricData: [{ MetricName: 'MessagesPublished', Value: 3, Unit: 'Count' }] }));
    cw.destroy();
    const data = await page();
    expect(data).toMatchObject({ name: 'realtime-chat-dev', source: 'built-in' });
    const published = data.widgets.find((w) => w.title === 'MessagesPublished (RealTimeChat)')!;
    expect(published.series).toEqual([{ label: 'MessagesPublished', timestamps: [expect.any(Number)], values: [3] }]);
    expect(points(data.widgets.find((w) => w.title === 'messageService Lambda Duration (ms)')!)).toBe(1);
    expect(data.widgets.find((w) => w.title === 'DynamoDB throttles')!.note).toMatch(/AWS publishes these/);
  });

  it('draws a saved dashboard of that name instead', async () => {
    const cw = new CloudWatchClient(config);
    const body = { widgets: [{ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { title: 'Only this', stat: 'Sum', period: 60, metrics: [['RealTimeChat', 'MessagesPublished']] } }] };
    await cw.send(new PutDashboardCommand({ DashboardName: 'mine', DashboardBody: JSON.stringify(body) }));
    cw.destroy();
    const data = await page('&name=mine');
    expect(data.source).toBe('saved');
    expect(data.widgets.map((w) => [w.title, points(w)])).toEqual([['Only this', 1]]);
  });
});
