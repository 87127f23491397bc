/**
 * `npm start`: the whole backend on this machine. Ctrl-C stops everything.
 *   npm start -- --persist            keep data in .local/data between runs
 *   npm start -- --quiet              do not echo function logs
 *   CHAT_PORT_<NAME>=n npm start      override a port (AUTH, CONNECT, MESSAGE, WEBSOCKET, DYNAMODB, COGNITO, AWS, REDIS)
 *   CHAT_CONFIRMATION_CODE=654321     the confirmation code cognito-local hands out
 * For the test suite (test/support/global-setup.ts):
 *   --free-ports --endpoints-file F --log-file L --config-ttl N
 */
import fs from 'node:fs';
import path from 'node:path';
import { commandLine } from '../lib/args';
import { DEFAULT_PORTS, type Ports } from '../lib/local-stack';
import { LOCAL_DATA_DIR, LOCAL_ENDPOINTS_FILE } from '../lib/paths';
import { PrerequisiteError, startStack, type Stack } from './stack';

const { values: args } = commandLine('npm start -- [--persist] [--quiet] [--free-ports] [--endpoints-file F] [--log-file L] [--config-ttl N]', {
  persist: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'free-ports': { type: 'boolean' },
  'endpoints-file': { type: 'string' },
  'log-file': { type: 'string' },
  'config-ttl': { type: 'string' },
});
const logFile = args['log-file'];
const logStream = logFile ? fs.createWriteStream(logFile) : undefined;
const quiet = Boolean(args.quiet) || Boolean(logStream);
const endpointsFile = path.resolve(args['endpoints-file'] ?? LOCAL_ENDPOINTS_FILE);

const portOverrides: Partial<Ports> = {};
for (const key of Object.keys(DEFAULT_PORTS) as (keyof Ports)[]) {
  const value = process.env[`CHAT_PORT_${key.toUpperCase()}`];
  if (value) portOverrides[key] = Number(value);
}

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const say = (line: string) => {
  process.stdout.write(`[stack ${elapsed()}] ${line}\n`);
  logStream?.write(`[stack ${elapsed()}] ${line}\n`);
};

function formatLine(source: string, line: string): string {
  try {
    const e = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    if (e.message && e.level) {
      const { timestamp, level, message, service, function: fn, functionName, ...rest } = e;
      void timestamp; void service; void functionName;
      return `${source}/${fn ?? '?'} ${String(level).toUpperCase()} ${message} ${JSON.stringify(rest)}`;
    }
  } catch {
    /* plain line */
  }
  return `${source} ${line}`;
}

async function main(): Promise<void> {
  let stack: Stack | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    fs.rmSync(endpointsFile, { force: true });
    await stack?.stop();
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    stack = await startStack({
      ports: args['free-ports'] ? 'free' : portOverrides,
      configTtlSeconds: args['config-ttl'] ? Number(args['config-ttl']) : undefined,
      persistDir: args.persist ? LOCAL_DATA_DIR : undefined,
      confirmationCode: process.env.CHAT_CONFIRMATION_CODE,
      progress: say,
      output: (source, line) => {
        logStream?.write(`${source} ${line}\n`);
        if (source === 'cognito' && /code|Code/.test(line)) process.stdout.write(`  ${formatLine(source, line)}\n`);
        else if (!quiet && !['dynamodb', 'redis'].includes(source)) process.stdout.write(`  ${formatLine(source, line)}\n`);
      },
    });
  } catch (err) {
    if (err instanceof PrerequisiteError) process.stderr.write(`\n${err.message}\n\n`);
    else process.stderr.write(`\nThe local stack could not start: ${(err as Error).stack ?? err}\n\n`);
    await stop(1);
    return;
  }
  if (stopping) return;
  fs.mkdirSync(path.dirname(endpointsFile), { recursive: true });
  // Written whole, then renamed, so a reader never sees half a file.
  fs.writeFileSync(`${endpointsFile}.tmp`, `${JSON.stringify({ ...stack.endpoints, ports: stack.ports }, null, 2)}\n`);
  fs.renameSync(`${endpointsFile}.tmp`, endpointsFile);
  const e = stack.endpoints;
  const rows: [string, string | undefined][] = [
    ['authService (HTTP)', e.auth],
    ['connectService (HTTP)', e.connect],
    ['messageService (HTTP)', e.message],
    ['realTimeService (WebSocket)', e.websocket],
    ['Dashboard (local CloudWatch)', e.dashboard],
    ['DynamoDB Local', e.dynamodb],
    ['Cognito (cognito-local)', e.cognito],
    ['SSM / SNS / CloudWatch / Logs', e.ssm],
    ['Redis', e.redis],
    ['User pool / client', `${e.userPoolId} / ${e.clientId}`],
    ['Confirmation code', e.confirmationCode],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  say(`ready in ${elapsed()} — endpoints written to .local/endpoints.json`);
  process.stdout.write(`\n${rows.filter(([, v]) => v).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n\n  Ctrl-C stops everything.\n\n`);
}

void main();
