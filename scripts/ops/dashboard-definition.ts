import { stageNames, type DeploymentNames } from '@shared/platform/config/deployment-names';
import type { ApiIds } from './api-ids';
import { CUSTOM_METRICS, METRICS_NAMESPACE, PROBLEM_METRICS, SERVICE_FUNCTIONS, SERVICES, TABLES } from './catalog';

/** One row of a metric widget, as CloudWatch dashboards write it: namespace, name, dimension pairs, then options. */
export type MetricRow = (string | { label?: string; stat?: string; color?: string })[];

export interface Widget {
  type: 'metric' | 'text';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: {
    title?: string;
    markdown?: string;
    view?: 'timeSeries';
    stacked?: boolean;
    region?: string;
    stat?: string;
    period?: number;
    metrics?: MetricRow[];
  };
}

export interface DashboardBody {
  widgets: Widget[];
}

export const dashboardName = (stage: string) => `realtime-chat-${stage}`;

const PERIOD = 60;

/**
 * The operations guide §6 dashboard: custom metrics, Lambda Errors / Duration / Invocations per
 * service, DynamoDB throttles, API Gateway 5xx and WebSocket connect/message counts. The same body
 * goes to CloudWatch (PutDashboard) and to the local dashboard page, which draws it from the
 * local CloudWatch stand-in.
 */
export function dashboardBody(stage: string, region: string, apis: ApiIds, names: DeploymentNames = stageNames(stage)): DashboardBody {
  const widgets: Widget[] = [];
  let y = 0;
  const row = (height: number, items: Omit<Widget, 'x' | 'y' | 'height'>[]) => {
    let x = 0;
    for (const w of items) {
      widgets.push({ ...w, x, y, height });
      x += w.width;
    }
    y += height;
  };
  // CloudWatch refuses a metric widget without metrics; an API that is not deployed gets a note instead.
  const metric = (title: string, width: number, stat: string, metrics: MetricRow[]): Omit<Widget, 'x' | 'y' | 'height'> =>
    metrics.length
      ? { type: 'metric', width, properties: { title, view: 'timeSeries', stacked: false, region, stat, period: PERIOD, metrics } }
      : { type: 'text', width, properties: { markdown: `### ${title}\nNo API found on stage ${stage}: deploy it, then run \`npm run ops -- dashboard\` again.` } };
  const lambda = (name: string, service: string, fn: string): MetricRow => ['AWS/Lambda', name, 'FunctionName', `${service}-${stage}-${fn}`, { label: fn }];

  row(2, [{
    type: 'text',
    width: 24,
    properties: {
      markdown: `# Real-time chat (${stage})\nCustom metrics need \`${names.parameters.enableMetrics}\` = \`true\` (\`npm run ops -- ssm set /ENABLE_METRICS true\`). Logs: \`npm run ops -- logs --tail\`. Health: \`npm run ops -- health\`.`,
    },
  }]);
  const customStat: Record<string, string> = { ActiveConnections: 'Maximum' };
  row(6, [
    ...CUSTOM_METRICS.map((name) => metric(`${name} (${METRICS_NAMESPACE})`, 6, customStat[name] ?? 'Sum', [[METRICS_NAMESPACE, name, { label: name }]])),
    metric('Retries and drops (RealTimeChat)', 6, 'Sum', PROBLEM_METRICS.map((name) => [METRICS_NAMESPACE, name, { label: name }])),
  ]);
  row(6, SERVICES.map((s) => metric(`${s} Lambda Errors`, 6, 'Sum', SERVICE_FUNCTIONS[s].map((fn) => lambda('Errors', s, fn)))));
  row(6, SERVICES.map((s) => metric(`${s} Lambda Duration (ms)`, 6, 'Average', SERVICE_FUNCTIONS[s].map((fn) => lambda('Duration', s, fn)))));
  row(6, SERVICES.map((s) => metric(`${s} Lambda Invocations`, 6, 'Sum', SERVICE_FUNCTIONS[s].map((fn) => lambda('Invocations', s, fn)))));
  const tables = Object.keys(TABLES).map((t) => names.qualify(t));
  row(6, [
    metric('DynamoDB throttles', 8, 'Sum', tables.flatMap((t) => [
      ['AWS/DynamoDB', 'ReadThrottleEvents', 'TableName', t, { label: `${t} read` }],
      ['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', t, { label: `${t} write` }],
    ])),
    metric('API Gateway 5xx (HTTP APIs)', 8, 'Sum', Object.entries(apis.http).map(([s, id]) => ['AWS/ApiGateway', '5xx', 'ApiId', id!, { label: s }])),
    metric('WebSocket connects and messages', 8, 'Sum', apis.websocket ? [
      ['AWS/ApiGateway', 'ConnectCount', 'ApiId', apis.websocket, 'Stage', apis.websocketStage, { label: 'ConnectCount' }],
      ['AWS/ApiGateway', 'MessageCount', 'ApiId', apis.websocket, 'Stage', apis.websocketStage, { label: 'MessageCount' }],
    ] : []),
  ]);
  return { widgets };
}
