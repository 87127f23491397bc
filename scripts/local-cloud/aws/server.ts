// One HTTP server standing in for SSM, SNS, CloudWatch and CloudWatch Logs.
// JSON protocols are routed by X-Amz-Target, query-protocol requests by their Version.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { LOCAL_ACCOUNT_ID } from '../../lib/local-aws';
import { CloudWatchService } from './cloudwatch';
import { LogsService } from './logs';
import { AwsError, decodeQuery, readBody, replyJson, replyXml, type JsonDialect, type Rec, type Service } from './protocol';
import { SnsService } from './sns';
import { SsmService } from './ssm';

export interface LocalAwsOptions {
  port: number;
  host?: string;
  region: string;
  accountId?: string;
  /** Base URL of a Lambda Invoke API serving `functionName` (serverless-offline's lambdaPort), if any. */
  resolveLambda?: (functionName: string) => string | undefined;
  /** When set, state is loaded from and saved to this JSON file. */
  dataFile?: string;
  log?: (line: string) => void;
  /** SNS delivery tuning (defaults: 4 attempts, 250 ms first retry delay, doubling). */
  snsDeliveryAttempts?: number;
  snsRetryDelayMs?: number;
}

export interface LocalAws {
  url: string;
  port: number;
  region: string;
  accountId: string;
  ssm: SsmService;
  sns: SnsService;
  cloudwatch: CloudWatchService;
  logs: LogsService;
  /** Writes the data file now (no-op without `dataFile`). */
  save(): Promise<void>;
  stop(): Promise<void>;
}

interface JsonRoute extends JsonDialect { service?: Service }
interface QueryRoute { service: Service; xmlns: string }

export async function startLocalAws(opts: LocalAwsOptions): Promise<LocalAws> {
  const accountId = opts.accountId ?? LOCAL_ACCOUNT_ID;
  const log = opts.log ?? ((line: string) => console.warn(`[local-aws] ${line}`));
  const ssm = new SsmService(opts.region, accountId);
  const sns = new SnsService({
    region: opts.region, accountId, resolveLambda: opts.resolveLambda, log,
    deliveryAttempts: opts.snsDeliveryAttempts, retryDelayMs: opts.snsRetryDelayMs,
  });
  const cloudwatch = new CloudWatchService(opts.region, accountId);
  const logs = new LogsService(opts.region, accountId);
  const services: Record<string, Service> = { ssm, sns, cloudwatch, logs };

  const json: Record<string, JsonRoute> = {
    AmazonSSM: { service: ssm, version: '1.1' },
    Logs_20140328: { service: logs, version: '1.1' },
    GraniteServiceVersion20100801: { service: cloudwatch, version: '1.0', typePrefix: 'com.amazonaws.cloudwatch#', queryCompat: true },
  };
  const query: Record<string, QueryRoute> = {
    '2010-03-31': { service: sns, xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/' },
    '2010-08-01': { service: cloudwatch, xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/' },
  };

  // ---- persistence ----
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const file = opts.dataFile;
    if (!file) return Promise.resolve();
    const data = JSON.stringify(Object.fromEntries(Object.entries(services).map(([k, s]) => [k, s.snapshot()])));
    writing = writing.then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, data);
      await rename(`${file}.tmp`, file);
    }).catch((err: unknown) => log(`could not save ${file}: ${String(err)}`));
    return writing;
  };
  if (opts.dataFile) {
    try {
      const data = JSON.parse(await readFile(opts.dataFile, 'utf8')) as Rec;
      for (const [k, s] of Object.entries(services)) if (data[k]) s.restore(data[k]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`could not load ${opts.dataFile}, starting empty: ${String(err)}`);
    }
    for (const s of Object.values(services)) s.onChange = () => (timer ??= setTimeout(() => void save(), 200).unref());
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', services: Object.keys(services), region: opts.region, accountId }));
      return;
    }
    const body = await readBody(req);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const [prefix, action] = target.split('.');
      const route: JsonRoute = json[prefix] ?? { version: '1.1' };
      replyJson(res, route, requestId, await run(() => {
        if (!route.service) throw new AwsError('UnknownOperationException', `Unknown target ${target}`);
        let input: Rec;
        try {
          input = body ? (JSON.parse(body) as Rec) : {};
        } catch {
          throw new AwsError('SerializationException', 'Request body is not valid JSON');
        }
        return route.service.handle(action, input);
      }));
      return;
    }
    // Query protocol: form-encoded POST body, or a GET query string (e.g. SNS UnsubscribeURL).
    const params = decodeQuery(req.method === 'GET' ? url.search.slice(1) : body);
    const action = String(params.Action ?? '');
    const route = query[String(params.Version ?? '2010-03-31')] ?? query['2010-03-31'];
    replyXml(res, route.xmlns, action, requestId, await run(() => {
      if (!action) throw new AwsError('MissingAction', 'Missing Action (or X-Amz-Target header)');
      return route.service.handle(action, params);
    }));
  };
  /** Runs an operation; any failure becomes an AwsError (unexpected ones are logged as 500s). */
  const run = async (op: () => unknown): Promise<unknown> => {
    try {
      return await op();
    } catch (err) {
      if (err instanceof AwsError) return err;
      log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return new AwsError('InternalFailure', 'Internal error in the local AWS stand-in', 500);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`request failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  sns.baseUrl = url;

  return {
    url, port, region: opts.region, accountId, ssm, sns, cloudwatch, logs, save,
    async stop() {
      sns.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await save();
    },
  };
}
