import { randomUUID } from 'node:crypto';
import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { Parameter, type ParameterName } from '@shared/platform/config/parameters';
import { AccountError, createAccount, signIn, type AccountStep } from '../../lib/accounts';
import { PARAMETERS, TABLES } from '../catalog';
import { listOption, stringOption, type Command } from '../command';
import { errorText, table, UsageError } from '../output';
import type { Target } from '../target';
import { readParameters } from './ssm';

export type CheckStatus = 'ok' | 'fail' | 'skip';
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  durationMs: number;
}

export interface HealthOptions {
  timeoutMs: number;
  skip: string[];
  redisHost?: string;
  redisPort?: number;
  /** Connect to Redis with TLS (default: on AWS, where ElastiCache encrypts in transit; not locally). */
  redisTls?: boolean;
  websocketUrl?: string;
  token?: string;
}

type Params = Record<string, string | undefined>;
class CheckFailed extends Error {}
/** A check that cannot be made here (e.g. no token for the WebSocket on AWS): reported, not failed. */
class CheckSkipped extends Error {}
const fail = (message: string): never => {
  throw new CheckFailed(message);
};

const HOST = /^[A-Za-z0-9.-]{1,253}$/;
/** What a sensible value of each parameter looks like (table names are checked against DynamoDB too). */
export function parameterProblem(name: string, value: string, region: string): string | undefined {
  switch (name) {
    case Parameter.websocketDomain:
      return /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?(\/[\w.-]*)*$/.test(value) ? undefined : 'not a domain name or http(s) URL';
    case Parameter.websocketStage:
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? undefined : 'not a stage name';
    case Parameter.snsTopicArn: {
      const m = /^arn:aws[\w-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/.exec(value);
      if (!m) return 'not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)';
      return m[1] === region ? undefined : `topic is in ${m[1]}, not ${region}`;
    }
    case Parameter.redisHost:
      return HOST.test(value) ? undefined : 'not a host name or IP address';
    case Parameter.redisPort:
      return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'not a port number (1-65535)';
    case Parameter.enableMetrics:
      return ['true', 'false'].includes(value) ? undefined : 'must be "true" or "false"';
    case Parameter.clientId:
      return /^[\w+]{1,128}$/.test(value) ? undefined : 'not a Cognito app client id';
    case Parameter.userPoolId: {
      const m = /^([\w-]+)_[0-9A-Za-z]+$/.exec(value);
      if (!m) return 'not a user pool id (<region>_<id>)';
      return m[1] === region ? undefined : `user pool is in ${m[1]}, not ${region}`;
    }
    default:
      return /^[A-Za-z0-9_.-]{3,255}$/.test(value) ? undefined : 'not a DynamoDB table name';
  }
}

async function timed(name: string, skip: string[], fn: () => Promise<string>): Promise<CheckResult> {
  if (skip.some((s) => name === s || name.startsWith(`${s} `))) return { name, status: 'skip', detail: 'skipped (--skip)', durationMs: 0 };
  const started = Date.now();
  try {
    return { name, status: 'ok', detail: await fn(), durationMs: Date.now() - started };
  } catch (err) {
    if (err instanceof CheckSkipped) return { name, status: 'skip', detail: err.message, durationMs: 0 };
    return { name, status: 'fail', detail: err instanceof CheckFailed ? err.message : errorText(err), durationMs: Date.now() - started };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** PING over a fresh connection, with a hard timeout and no reconnect attempts. */
export async function checkRedis(host: string, port: number, timeoutMs: number, tls = false): Promise<string> {
  const redis = new Redis({
    host, port, tls: tls ? {} : undefined,
    lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null,
  });
  // ioredis rejects with a bare "Connection is closed"; the socket error says why (ECONNREFUSED, ETIMEDOUT…).
  let cause: Error | undefined;
  redis.on('error', (err: Error) => (cause ??= err));
  try {
    await withTimeout(redis.connect(), timeoutMs, `connect to ${host}:${port}`);
    const started = process.hrtime.bigint();
    const pong = await withTimeout(redis.ping(), timeoutMs, 'PING');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (pong !== 'PONG') fail(`PING answered ${pong}`);
    return `${host}:${port}${tls ? ' (TLS)' : ''} PING → PONG in ${ms.toFixed(1)} ms`;
  } catch (err) {
    if (err instanceof CheckFailed) throw err;
    return fail(`${host}:${port}: ${errorText(cause ?? err)}`);
  } finally {
    redis.disconnect();
  }
}

/** A real WebSocket session: connect with a token, send {"action":"ping"}, wait for the pong event. */
export async function checkWebSocket(url: string, token: string, timeoutMs: number): Promise<string> {
  const started = Date.now();
  const socket = new WebSocket(`${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`);
  try {
    return await withTimeout(
      new Promise<string>((resolve, reject) => {
        let sentAt = 0;
        socket.once('unexpected-response', (_req, res) => reject(new CheckFailed(`connect refused: HTTP ${res.statusCode}`)));
        socket.once('error', (err) => reject(new CheckFailed(`connect: ${errorText(err)}`)));
        socket.once('close', (code) => reject(new CheckFailed(`connection closed (${code}) before the pong`)));
        socket.once('open', () => {
          sentAt = Date.now();
          socket.send(JSON.stringify({ action: 'ping' }));
        });
        socket.on('message', (raw) => {
          let event: { type?: string };
          try {
            event = JSON.parse(String(raw));
          } catch {
            return;
          }
          if (event.type === 'pong') resolve(`${url} connect ${sentAt - started} ms, ping → pong ${Date.now() - sentAt} ms`);
        });
      }),
      timeoutMs,
      'WebSocket ping',
    );
  } finally {
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    socket.terminate();
  }
}

const HEALTH_CHECK_USER = { email: 'ops-health-check@example.com', password: 'HealthCheck1', fullName: 'Ops Health Check' };
const STEP: Record<AccountStep, string> = { signUp: 'sign-up', confirmSignUp: 'confirmation', signIn: 'sign-in' };

/** Locally, a dedicated health-check user signs up (once), is confirmed and signs in through authService. */
async function localToken(target: Target): Promise<string> {
  const e = target.endpoints!;
  if (!e.auth) return fail('authService is not running in the local stack (needed to sign the health-check user in)');
  const options = { headers: () => ({ 'x-correlation-id': `ops-health-${randomUUID()}` }), existing: true };
  const { email, password } = HEALTH_CHECK_USER;
  const signedIn = await signIn(e.auth, email, password, options).catch((err: unknown) => {
    if (err instanceof AccountError) return undefined; // not signed up (or not confirmed) yet
    throw err;
  });
  if (signedIn) return signedIn.accessToken;
  try {
    return (await createAccount(e.auth, HEALTH_CHECK_USER, e.confirmationCode, options)).accessToken;
  } catch (err) {
    if (err instanceof AccountError) fail(`health-check user ${STEP[err.step]} answered ${err.status}`);
    throw err;
  }
}

function websocketUrlOf(target: Target, params: Params): string | undefined {
  if (target.local) return target.endpoints!.websocket;
  const domain = params[Parameter.websocketDomain];
  const stage = params[Parameter.websocketStage];
  if (!domain || !stage) return undefined;
  const host = domain.replace(/^\w+:\/\//, '').replace(/\/.*$/, '');
  return `wss://${host}/${stage}`;
}

export async function runHealthChecks(target: Target, o: HealthOptions): Promise<CheckResult[]> {
  const ssm = new SSMClient(target.client('ssm'));
  const sns = new SNSClient(target.client('sns'));
  const dynamodb = new DynamoDBClient(target.client('dynamodb'));
  const cognito = new CognitoIdentityProviderClient(target.client('cognito'));
  try {
    const params: Params = {};
    let ssmChecks: CheckResult[];
    try {
      // Read under the stage's names (/prod/… outside dev), kept by the contract's.
      const read = await withTimeout(readParameters(ssm, PARAMETERS.map((name) => target.names.parameter(name))), o.timeoutMs * 3, 'SSM GetParameters');
      for (const name of PARAMETERS) params[name] = read.found.get(target.names.parameter(name))?.Value;
      ssmChecks = await Promise.all(
        PARAMETERS.map((name) =>
          timed(`ssm ${target.names.parameter(name)}`, o.skip, async () => {
            const value = params[name] ?? fail('missing');
            const problem = parameterProblem(name, value, target.region);
            return problem ? fail(`${value}: ${problem}`) : value;
          }),
        ),
      );
    } catch (err) {
      ssmChecks = [{ name: 'ssm', status: 'fail', detail: errorText(err), durationMs: 0 }];
    }
    const need = (name: ParameterName) => params[name] ?? fail(`${target.names.parameter(name)} is missing or unreadable, see above`);

    const checks: Promise<CheckResult>[] = [
      timed('sns topic', o.skip, async () => {
        const arn = need(Parameter.snsTopicArn);
        const out = await withTimeout(sns.send(new GetTopicAttributesCommand({ TopicArn: arn })), o.timeoutMs, 'GetTopicAttributes');
        return `${arn} (${out.Attributes?.SubscriptionsConfirmed ?? '?'} subscription(s))`;
      }),
      ...Object.entries(TABLES).map(([defaultName, t]) =>
        timed(`dynamodb ${target.names.qualify(defaultName)}`, o.skip, async () => {
          const name = need(t.parameter);
          const out = await withTimeout(dynamodb.send(new DescribeTableCommand({ TableName: name })), o.timeoutMs, 'DescribeTable').catch((err: Error) =>
            fail(err.name === 'ResourceNotFoundException' ? `table ${name} does not exist` : errorText(err)),
          );
          const table = out.Table!;
          if (table.TableStatus !== 'ACTIVE') fail(`table ${name} is ${table.TableStatus}`);
          const indexes = new Map<string, string>([
            ...(table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i.IndexStatus ?? 'ACTIVE'] as [string, string]),
            ...(table.LocalSecondaryIndexes ?? []).map((i) => [i.IndexName!, 'ACTIVE'] as [string, string]),
          ]);
          const missing = t.indexes.filter((i) => !indexes.has(i));
          if (missing.length) fail(`table ${name} lacks index ${missing.join(', ')}`);
          const notActive = t.indexes.filter((i) => indexes.get(i) !== 'ACTIVE');
          if (notActive.length) fail(`index ${notActive.join(', ')} of ${name} is not ACTIVE`);
          return `${name} ACTIVE${t.indexes.length ? `, ${t.indexes.join(', ')} ACTIVE` : ''}`;
        }),
      ),
      timed('redis', o.skip, async () => {
        const host = o.redisHost ?? need(Parameter.redisHost);
        const port = o.redisPort ?? Number(need(Parameter.redisPort));
        return checkRedis(host, port, o.timeoutMs, o.redisTls ?? !target.local);
      }),
      timed('cognito user pool', o.skip, async () => {
        const id = need(Parameter.userPoolId);
        const out = await withTimeout(cognito.send(new DescribeUserPoolCommand({ UserPoolId: id })), o.timeoutMs, 'DescribeUserPool');
        return `${id} ${out.UserPool?.Name ?? ''}`.trim();
      }),
      timed('cognito app client', o.skip, async () => {
        const [pool, id] = [need(Parameter.userPoolId), need(Parameter.clientId)];
        const out = await withTimeout(cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: id })), o.timeoutMs, 'DescribeUserPoolClient');
        const flows = out.UserPoolClient?.ExplicitAuthFlows ?? [];
        if (!target.local && !flows.includes('ALLOW_USER_PASSWORD_AUTH')) fail(`client ${id} does not allow USER_PASSWORD_AUTH (signIn needs it)`);
        return `${id} ${out.UserPoolClient?.ClientName ?? ''}`.trim();
      }),
      timed('websocket', o.skip, async () => {
        const url = o.websocketUrl ?? websocketUrlOf(target, params) ?? fail(target.local ? 'realTimeService is not running in the local stack' : '/WEBSOCKET_DOMAIN or /WEBSOCKET_STAGE is missing');
        const token = o.token ?? (target.local ? await localToken(target) : undefined);
        if (!token) throw new CheckSkipped('no token: pass --token <Cognito access token> or set OPS_TOKEN to test the WebSocket API');
        return checkWebSocket(url, token, o.timeoutMs);
      }),
    ];
    return [...ssmChecks, ...(await Promise.all(checks))];
  } finally {
    [ssm, sns, dynamodb, cognito].forEach((c) => c.destroy());
  }
}

export const healthCommand: Command = {
  name: 'health',
  summary: 'check SSM parameters, the SNS topic, DynamoDB tables, Redis, Cognito and a WebSocket ping; non-zero exit when anything fails',
  usage: 'health [--json] [--timeout 5000] [--skip redis,websocket] [--token JWT] [--redis-host H --redis-port P] [--redis-tls true|false] [--websocket-url URL]',
  options: {
    timeout: { type: 'string', description: 'per-check timeout in ms (default 5000)' },
    skip: { type: 'string', multiple: true, description: 'checks to leave out: ssm, sns, dynamodb, redis, cognito, websocket (comma-separated or repeated)' },
    token: { type: 'string', description: 'a Cognito access token for the WebSocket check (or env OPS_TOKEN); --local signs a health-check user in itself' },
    'redis-host': { type: 'string', description: 'check this Redis host instead of /REDIS_HOST' },
    'redis-port': { type: 'string', description: 'check this Redis port instead of /REDIS_PORT' },
    'redis-tls': { type: 'string', description: 'connect to Redis with TLS: true (default on AWS, as deployed) or false (default with --local)' },
    'websocket-url': { type: 'string', description: 'connect here instead of wss://<WEBSOCKET_DOMAIN>/<WEBSOCKET_STAGE>' },
  },
  async run({ target, values, io }) {
    const timeoutMs = Number(stringOption(values, 'timeout') ?? 5000);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100) throw new UsageError('--timeout takes milliseconds (at least 100)');
    const redisPort = stringOption(values, 'redis-port');
    if (redisPort !== undefined && parameterProblem(Parameter.redisPort, redisPort, target.region)) throw new UsageError('--redis-port takes a port number');
    const redisTls = stringOption(values, 'redis-tls');
    if (redisTls !== undefined && !['true', 'false'].includes(redisTls)) throw new UsageError('--redis-tls takes true or false');
    const results = await runHealthChecks(target, {
      timeoutMs,
      skip: listOption(values, 'skip'),
      redisHost: stringOption(values, 'redis-host'),
      redisPort: redisPort === undefined ? undefined : Number(redisPort),
      redisTls: redisTls === undefined ? undefined : redisTls === 'true',
      websocketUrl: stringOption(values, 'websocket-url'),
      token: stringOption(values, 'token') ?? process.env.OPS_TOKEN,
    });
    const failed = results.filter((r) => r.status === 'fail');
    if (values.json) {
      io.out(JSON.stringify({ healthy: failed.length === 0, target: target.describe(), checks: results }, null, 2));
    } else {
      io.out(`Health of ${target.describe()}\n`);
      const mark = { ok: 'OK', fail: 'FAIL', skip: 'SKIP' };
      table(['CHECK', 'STATUS', 'TIME', 'DETAIL'], results.map((r) => [r.name, mark[r.status], `${r.durationMs} ms`, r.detail])).forEach((l) => io.out(l));
      const skipped = results.filter((r) => r.status === 'skip').length;
      io.out();
      if (failed.length) io.out(`UNHEALTHY: ${failed.map((r) => `${r.name} (${r.detail})`).join('; ')}`);
      else io.out(`healthy: ${results.length - skipped} checks passed${skipped ? `, ${skipped} skipped` : ''}`);
    }
    return failed.length ? 1 : 0;
  },
};
