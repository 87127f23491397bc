import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { stageNames, type DeploymentNames, type ParameterKey } from '@shared/platform/config/deployment-names';
import { DEFAULT_REGION, endpointEnv, LOCAL_ACCOUNT_ID, LOCAL_CONFIRMATION_CODE, LOCAL_CREDENTIALS_ENV, localClientConfig } from '../lib/local-aws';
import { DEFAULT_PORTS, type Endpoints, type Ports } from '../lib/local-stack';
import { ROOT, SERVICE_DIRS } from '../lib/paths';
import { startLocalAws, type LocalAws } from '../local-cloud/aws/server';
import { startLocalCognito, type LocalCognito } from '../local-cloud/cognito';
import { startDashboard } from './dashboard';
import { createTables, startDynamoDb } from './dynamodb';
import { appendFunctionLog, recordLambdaTelemetry } from './lambda-telemetry';
import { startOffline } from './offline';
import { assertPortFree, freePort, hasCommand, startProcess, waitForPort, type ManagedProcess } from './processes';
import { startRedis } from './redis';
import { loadService, snsSubscriptionsOf, tablesOf, type ServerlessService } from './serverless-yml';

export interface StackOptions {
  /** 'free' picks unused ports (tests); otherwise defaults overridden by what is given. */
  ports?: Partial<Ports> | 'free';
  /** Keep data on disk under this folder instead of in memory. */
  persistDir?: string;
  /** Service folders to run (default: all four that exist). */
  services?: readonly string[];
  region?: string;
  stage?: string;
  confirmationCode?: string;
  /** SSM cache time handed to the functions (seconds). */
  configTtlSeconds?: number;
  enableMetrics?: boolean;
  /** Progress lines ("starting DynamoDB Local …"). */
  progress?: (line: string) => void;
  /** Every line the stand-ins and functions print, tagged with where it came from. */
  output?: (source: string, line: string) => void;
}

export interface Stack {
  endpoints: Endpoints;
  ports: Ports;
  redis: ManagedProcess;
  aws: LocalAws;
  cognito: LocalCognito;
  /** Starts redis-server again on the same port after it was stopped (fault tests). */
  restartRedis(): Promise<void>;
  stop(): Promise<void>;
}

export class PrerequisiteError extends Error {}

export function checkPrerequisites(): void {
  const missing: string[] = [];
  if (!hasCommand('java', ['-version'])) missing.push('Java 17+ (DynamoDB Local): apt-get install -y openjdk-17-jre-headless');
  if (!hasCommand('redis-server', ['--version'])) missing.push('redis-server: apt-get install -y redis-server');
  if (!fs.existsSync(path.join(ROOT, 'node_modules/serverless'))) missing.push('node modules: npm ci');
  if (missing.length) throw new PrerequisiteError(`Missing prerequisites:\n  - ${missing.join('\n  - ')}`);
}

async function resolvePorts(requested: StackOptions['ports']): Promise<Ports> {
  if (requested === 'free') {
    const ports = { ...DEFAULT_PORTS };
    for (const key of Object.keys(ports) as (keyof Ports)[]) ports[key] = await freePort();
    return ports;
  }
  return { ...DEFAULT_PORTS, ...requested };
}

const HTTP_PORT_OF: Record<string, keyof Ports> = {
  authService: 'auth',
  connectService: 'connect',
  messageService: 'message',
  realTimeService: 'realtimeHttp',
};

/**
 * Starts the whole backend on local stand-ins: DynamoDB Local, cognito-local (behind a proxy that
 * adds what it lacks), redis-server, the SSM/SNS/CloudWatch/Logs stand-in, then every service under
 * `serverless offline`. Tables come from each serverless.yml; SSM parameters are seeded with the
 * contract's names, every one of them (a value per key of parameters.ts). Names follow the stage
 * as deployed ones do (deployment-names.ts): stage dev has the operations guide's names.
 * Stops everything it started if any step fails.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  checkPrerequisites();
  const progress = options.progress ?? (() => undefined);
  const output = options.output ?? (() => undefined);
  const region = options.region ?? DEFAULT_REGION;
  const stage = options.stage ?? 'dev';
  const names = stageNames(stage);
  const confirmationCode = options.confirmationCode ?? LOCAL_CONFIRMATION_CODE;
  const ports = await resolvePorts(options.ports);
  const persist = options.persistDir ? path.resolve(options.persistDir) : undefined;
  const runDir = persist ?? fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'chat-stack-'));
  const services = (options.services ?? SERVICE_DIRS).filter((s) => fs.existsSync(path.join(ROOT, s, 'serverless.yml'))).map((s) => loadService(path.join(ROOT, s), names));
  const started: { stop(): Promise<void> }[] = [];
  // Each stack bundles into its own folder in every service, apart from `serverless package`'s
  // `.esbuild` and from any other stack (a test run beside `npm start`).
  const esbuildFolder = `.esbuild-local-${process.pid}`;
  const stopAll = async () => {
    for (const p of started.reverse()) await p.stop().catch(() => undefined);
    for (const s of services) fs.rmSync(path.join(s.dir, esbuildFolder), { recursive: true, force: true });
    if (!persist) fs.rmSync(runDir, { recursive: true, force: true });
  };

  const lambdaPorts = new Map<string, number>(); // service name → lambda port
  const functionOwner = new Map<string, string>(); // full function name → service name
  services.forEach((s, i) => {
    lambdaPorts.set(s.service, ports.lambdaBase + i);
    for (const fn of Object.keys(s.functions)) functionOwner.set(`${s.service}-${stage}-${fn}`, s.service);
  });
  if (options.ports === 'free') for (const s of services) lambdaPorts.set(s.service, await freePort());

  try {
    if (options.ports !== 'free') {
      for (const [name, port] of Object.entries(ports)) if (!name.endsWith('Base')) await assertPortFree(port, name);
    }
    progress('starting DynamoDB Local, cognito-local, redis-server and the SSM/SNS/CloudWatch/Logs stand-in');
    const dataDir = (name: string) => {
      const dir = path.join(runDir, name);
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    };
    const [, cognito, redis, aws] = await Promise.all([
      startDynamoDb(ports.dynamodb, persist ? dataDir('dynamodb') : undefined, (l) => output('dynamodb', l)).then(track(started)),
      startLocalCognito({ port: ports.cognito, region, dataDir: dataDir('cognito'), confirmationCode, log: (l) => output('cognito', l) }).then(track(started)),
      startRedis(ports.redis, persist ? dataDir('redis') : undefined, (l) => output('redis', l)).then(track(started)),
      startLocalAws({
        port: ports.aws,
        region,
        accountId: LOCAL_ACCOUNT_ID,
        dataFile: persist ? path.join(dataDir('aws'), 'state.json') : undefined,
        resolveLambda: (fn) => {
          const owner = functionOwner.get(fn);
          return owner ? `http://127.0.0.1:${lambdaPorts.get(owner)}` : undefined;
        },
        log: (l) => output('aws', l),
      }).then(track(started)),
    ]);
    progress(`DynamoDB Local :${ports.dynamodb}, cognito :${ports.cognito}, redis :${ports.redis}, AWS stand-in :${ports.aws}`);
    const dashboard = await startDashboard({ port: ports.dashboard, cloudwatchUrl: aws.url, region, stage, log: (l) => output('dashboard', l) }).then(track(started));

    const url = (port: number) => `http://127.0.0.1:${port}`;
    const awsClientConfig = localClientConfig(region, aws.url);
    const dynamoClient = new DynamoDBClient({ ...awsClientConfig, endpoint: url(ports.dynamodb) });
    const tables = services.flatMap(tablesOf);
    const created = await createTables(dynamoClient, tables);
    dynamoClient.destroy();
    progress(`tables: ${tables.map((t) => t.TableName).join(', ')}${created.length < tables.length ? ' (kept from disk where present)' : ''}`);

    const sns = new SNSClient(awsClientConfig);
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: names.chatTopic }))).TopicArn!;
    const websocketUrl = `ws://127.0.0.1:${ports.websocket}`;
    await seedParameters(new SSMClient(awsClientConfig), names, {
      websocketDomain: `http://127.0.0.1:${ports.websocket}`,
      websocketStage: stage,
      snsTopicArn: topicArn,
      redisHost: '127.0.0.1',
      redisPort: String(ports.redis),
      enableMetrics: String(options.enableMetrics ?? false),
      clientId: cognito.clientId,
      userPoolId: cognito.userPoolId,
      usersTable: names.usersTable,
      messagesTable: names.messagesTable,
      connectionsTable: names.connectionsTable,
      membersTable: names.membersTable,
      conversationsTable: names.conversationsTable,
    }, Boolean(persist));
    progress(`SSM parameters seeded${names.ssmPrefix ? ` under ${names.ssmPrefix}/` : ''}`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      ...LOCAL_CREDENTIALS_ENV,
      ...endpointEnv({ dynamodb: url(ports.dynamodb), cognito: cognito.url, ssm: aws.url, sns: aws.url, cloudwatch: aws.url, logs: aws.url }),
      CONFIG_TTL_SECONDS: String(options.configTtlSeconds ?? 5),
      NODE_NO_WARNINGS: '1',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SERVERLESS_PLATFORM_STAGE: '',
      ESBUILD_WORK_FOLDER: esbuildFolder,
      // The functions have it from serverless.yml; the local workers from here.
      SSM_PREFIX: names.ssmPrefix,
    };
    delete env.NODE_OPTIONS; // e.g. a debugger flag from the parent would break the workers

    progress(`starting ${services.map((s) => s.service).join(', ')} under serverless offline`);
    await Promise.all(
      services.map(async (service, i) => {
        const httpPort = ports[HTTP_PORT_OF[service.service] ?? 'realtimeHttp'];
        const websocketPort = service.service === 'realTimeService' ? ports.websocket : options.ports === 'free' ? await freePort() : ports.websocketBase + i;
        const proc = await startOffline(
          service.dir,
          { http: httpPort, lambda: lambdaPorts.get(service.service)!, websocket: websocketPort },
          env,
          (line) => {
            recordLambdaTelemetry(aws, service.service, stage, line);
            forwardLine(aws, service.service, line, output);
          },
          stage,
          // serverless offline opens the HTTP port only for services with HTTP events.
          servesHttp(service) ? httpPort : websocketPort,
        );
        started.push(proc);
        for (const worker of localWorkersOf(service)) {
          const w = startProcess(`${service.service}:${worker.name}`, process.execPath, [require.resolve('tsx/cli'), worker.script], {
            cwd: service.dir,
            env: { ...env, SERVICE_NAME: service.service, AWS_LAMBDA_FUNCTION_NAME: `${service.service}-${stage}-${worker.name}` },
            onLine: (line) => forwardLine(aws, service.service, line, output),
          });
          started.push(w);
        }
        progress(`${service.service} ready on ${url(httpPort)}${service.service === 'realTimeService' ? ` and ${websocketUrl}` : ''}`);
      }),
    );

    for (const service of services) {
      for (const sub of snsSubscriptionsOf(service)) {
        const arn = (await sns.send(new CreateTopicCommand({ Name: sub.topic }))).TopicArn!;
        await sns.send(
          new SubscribeCommand({ TopicArn: arn, Protocol: 'lambda', Endpoint: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${service.service}-${stage}-${sub.functionName}` }),
        );
      }
    }
    sns.destroy();

    const has = (name: string) => services.some((s) => s.service === name);
    const endpoints: Endpoints = {
      auth: has('authService') ? url(ports.auth) : undefined,
      connect: has('connectService') ? url(ports.connect) : undefined,
      message: has('messageService') ? url(ports.message) : undefined,
      websocket: has('realTimeService') ? websocketUrl : undefined,
      dashboard: dashboard.url,
      dynamodb: url(ports.dynamodb),
      cognito: cognito.url,
      ssm: aws.url,
      sns: aws.url,
      cloudwatch: aws.url,
      logs: aws.url,
      redis: `redis://127.0.0.1:${ports.redis}`,
      region,
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      stage,
      confirmationCode,
      topicArn,
      lambda: Object.fromEntries([...lambdaPorts].map(([s, p]) => [s, url(p)])),
    };
    const redisHolder = { current: redis };
    return {
      endpoints,
      ports,
      get redis() {
        return redisHolder.current;
      },
      aws,
      cognito,
      async restartRedis() {
        const next = await startRedis(ports.redis, persist ? dataDir('redis') : undefined, (l) => output('redis', l));
        started.push(next);
        redisHolder.current = next;
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

const track =
  (list: { stop(): Promise<void> }[]) =>
  <T extends { stop(): Promise<void> }>(x: T): T => {
    list.push(x);
    return x;
  };

/**
 * Puts every contract parameter under the deployment's name. A value per key of parameters.ts, no
 * more and no less: a parameter added there does not type-check here until the stack seeds it.
 */
async function seedParameters(ssm: SSMClient, names: DeploymentNames, values: Record<ParameterKey, string>, keepExisting: boolean): Promise<void> {
  await Promise.all(
    (Object.entries(values) as [ParameterKey, string][]).map(([key, Value]) =>
      ssm.send(new PutParameterCommand({ Name: names.parameters[key], Value, Type: 'String', Overwrite: !keepExisting || key === 'redisPort' })).catch((err) => {
        if ((err as Error).name !== 'ParameterAlreadyExists') throw err;
      }),
    ),
  );
  ssm.destroy();
}

const servesHttp = (service: ServerlessService) =>
  Object.values(service.functions).some((fn) => (fn.events ?? []).some((event) => 'httpApi' in event || 'http' in event));

/** Long-running local processes a service declares under custom.local.workers (e.g. the Redis subscriber). */
function localWorkersOf(service: ServerlessService): { name: string; script: string }[] {
  const local = (service.custom.local ?? {}) as { workers?: { name: string; script: string }[] };
  return local.workers ?? [];
}

/**
 * Function output goes to the terminal and, for structured log lines, to the CloudWatch Logs
 * stand-in under /aws/lambda/<function name>, as Lambda would send it.
 */
function forwardLine(aws: LocalAws, service: string, line: string, output: (source: string, line: string) => void): void {
  output(service, line);
  const start = line.indexOf('{');
  if (start < 0) return;
  try {
    const entry = JSON.parse(line.slice(start)) as { functionName?: string; timestamp?: string };
    if (!entry.functionName) return;
    const timestamp = entry.timestamp ? Date.parse(entry.timestamp) : Date.now();
    appendFunctionLog(aws, entry.functionName, [{ timestamp, message: line.slice(start) }]);
  } catch {
    /* not a structured line */
  }
}

export { waitForPort };
