/**
 * The local dashboard page: draws a CloudWatch dashboard body (the one `npm run ops -- dashboard
 * --local` saved in the CloudWatch stand-in, or the project's built-in definition) with the data the
 * stand-in holds, read through GetMetricData as the CloudWatch console would.
 */
import fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CloudWatchClient, GetDashboardCommand, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { localClientConfig } from '../lib/local-aws';
import { localApiIds } from '../ops/api-ids';
import { dashboardBody, dashboardName, type DashboardBody, type MetricRow, type Widget } from '../ops/dashboard-definition';

export interface DashboardServerOptions {
  port: number;
  host?: string;
  /** The CloudWatch stand-in. */
  cloudwatchUrl: string;
  region: string;
  stage: string;
  log?: (line: string) => void;
}

export interface DashboardServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface Series {
  label: string;
  timestamps: number[];
  values: number[];
}

export interface RenderedWidget {
  type: Widget['type'];
  x: number;
  y: number;
  width: number;
  height: number;
  title?: string;
  markdown?: string;
  stat?: string;
  series?: Series[];
  /** Why a chart is empty when that is expected locally. */
  note?: string;
}

const PAGE = path.join(__dirname, 'dashboard.html');
// Locally nothing publishes these (the local stack records AWS/Lambda itself, see lambda-telemetry.ts).
const NO_LOCAL_SOURCE = ['AWS/DynamoDB', 'AWS/ApiGateway'];
const QUERIES_PER_CALL = 500;
const MAX_MINUTES = 24 * 60;

/** `["NS", "Name", "Dim", "Value", …, {options}]`, with "." repeating the previous row's item, as CloudWatch allows. */
export function parseMetricRow(row: MetricRow, previous: MetricRow | undefined) {
  const items = row.filter((x): x is string => typeof x === 'string').map((x, i) => (x === '.' ? String(previous?.[i] ?? '') : x));
  const options = (row.find((x) => typeof x === 'object') ?? {}) as { label?: string; stat?: string };
  const [namespace, metricName, ...pairs] = items;
  const dimensions = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) dimensions.push({ Name: pairs[i], Value: pairs[i + 1] });
  return { namespace, metricName, dimensions, label: options.label, stat: options.stat, resolved: items as MetricRow };
}

/** Every widget of the body with its series over [start, end]. */
export async function renderDashboard(cw: CloudWatchClient, body: DashboardBody, start: Date, end: Date): Promise<RenderedWidget[]> {
  const queries: (MetricDataQuery & { widget: number; label: string; namespace: string })[] = [];
  body.widgets.forEach((w, wi) => {
    let previous: MetricRow | undefined;
    (w.type === 'metric' ? (w.properties.metrics ?? []) : []).forEach((row, ri) => {
      const m = parseMetricRow(row, previous);
      previous = m.resolved;
      queries.push({
        Id: `w${wi}_${ri}`,
        widget: wi,
        namespace: m.namespace,
        label: m.label ?? [m.metricName, ...m.dimensions.map((d) => d.Value)].join(' '),
        MetricStat: {
          Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions },
          Period: w.properties.period ?? 300,
          Stat: m.stat ?? w.properties.stat ?? 'Average',
        },
      });
    });
  });
  const results = new Map<string, Series>();
  for (let i = 0; i < queries.length; i += QUERIES_PER_CALL) {
    const batch = queries.slice(i, i + QUERIES_PER_CALL);
    const out = await cw.send(new GetMetricDataCommand({
      MetricDataQueries: batch.map(({ Id, MetricStat }) => ({ Id, MetricStat, ReturnData: true })),
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampAscending',
    }));
    for (const r of out.MetricDataResults ?? []) {
      const q = batch.find((x) => x.Id === r.Id)!;
      results.set(r.Id!, { label: q.label, timestamps: (r.Timestamps ?? []).map((t) => new Date(t).getTime()), values: r.Values ?? [] });
    }
  }
  return body.widgets.map((w, wi) => {
    const own = queries.filter((q) => q.widget === wi);
    const series = own.map((q) => results.get(q.Id!) ?? { label: q.label, timestamps: [], values: [] });
    const empty = series.every((s) => !s.values.length);
    return {
      type: w.type,
      x: w.x,
      y: w.y,
      width: w.width,
      height: w.height,
      title: w.properties.title,
      markdown: w.properties.markdown,
      stat: w.properties.stat,
      series: w.type === 'metric' ? series : undefined,
      note: empty && own.length && own.every((q) => NO_LOCAL_SOURCE.includes(q.namespace)) ? 'AWS publishes these metrics; locally nothing does' : undefined,
    };
  });
}

export async function startDashboard(o: DashboardServerOptions): Promise<DashboardServer> {
  const cw = new CloudWatchClient({ ...localClientConfig(o.region, o.cloudwatchUrl), maxAttempts: 1 });
  const builtIn = dashboardBody(o.stage, o.region, localApiIds(o.stage));
  const page = fs.readFileSync(PAGE, 'utf8');

  /** The saved dashboard of that name if there is one, else the project's own definition. */
  const bodyOf = async (name: string): Promise<{ body: DashboardBody; source: 'saved' | 'built-in' }> => {
    try {
      const out = await cw.send(new GetDashboardCommand({ DashboardName: name }));
      return { body: JSON.parse(out.DashboardBody ?? '{}') as DashboardBody, source: 'saved' };
    } catch (err) {
      if ((err as Error).name !== 'DashboardNotFoundError' && (err as Error).name !== 'ResourceNotFound') throw err;
      return { body: builtIn, source: 'built-in' };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    }
    if (url.pathname === '/api/dashboard') {
      const name = url.searchParams.get('name') || dashboardName(o.stage);
      const minutes = Math.min(Math.max(Number(url.searchParams.get('minutes')) || 60, 1), MAX_MINUTES);
      const end = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
      const start = new Date(end.getTime() - minutes * 60_000);
      const { body, source } = await bodyOf(name);
      const widgets = await renderDashboard(cw, body, start, end);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify({ name, source, stage: o.stage, region: o.region, start: start.getTime(), end: end.getTime(), widgets }));
    }
    if (url.pathname === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      o.log?.(`dashboard: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `could not read the CloudWatch stand-in: ${(err as Error).message}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        cw.destroy();
      }),
  };
}
