import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { forEachLimited } from '@shared/platform/concurrency';
import { lambdaFunctions, SERVICES, type LambdaFunction } from '../catalog';
import { listOption, stringOption, type Command } from '../command';
import { parseSince, UsageError } from '../output';

export interface LogLine {
  logGroup: string;
  /** `service/function` for Lambda groups, the group name otherwise. */
  source: string;
  eventId: string;
  timestamp: number;
  message: string;
}

const CONCURRENCY = 4;
const TAIL_INTERVAL_MS = 2000;
/** Late-arriving events (CloudWatch Logs is eventually consistent) are caught by re-reading this much. */
const TAIL_OVERLAP_MS = 30_000;

/** The log groups asked for: functions by name, whole services, or raw group names; all functions when none. */
export function selectGroups(stage: string, functions: string[], services: string[], groups: string[]): { logGroup: string; source: string }[] {
  const all = lambdaFunctions(stage);
  const pick = (fn: LambdaFunction) => ({ logGroup: fn.logGroup, source: `${fn.service}/${fn.name}` });
  const chosen = new Map<string, { logGroup: string; source: string }>();
  for (const name of functions) {
    const [service, fn] = name.includes(':') ? name.split(':') : [undefined, name];
    const matches = all.filter((f) => (f.name === fn && (!service || f.service === service)) || f.fullName === name);
    if (!matches.length) throw new UsageError(`unknown function "${name}"; functions: ${all.map((f) => f.name).join(', ')}`);
    matches.forEach((f) => chosen.set(f.logGroup, pick(f)));
  }
  for (const service of services) {
    if (!(SERVICES as string[]).includes(service)) throw new UsageError(`unknown service "${service}"; services: ${SERVICES.join(', ')}`);
    all.filter((f) => f.service === service).forEach((f) => chosen.set(f.logGroup, pick(f)));
  }
  for (const logGroup of groups) chosen.set(logGroup, { logGroup, source: logGroup });
  if (!functions.length && !services.length && !groups.length) all.forEach((f) => chosen.set(f.logGroup, pick(f)));
  return [...chosen.values()];
}

/** A filter pattern for one correlation id, on top of an optional user pattern. */
export function filterPatternFor(correlationId: string | undefined, pattern: string | undefined): string | undefined {
  if (correlationId && !/^[A-Za-z0-9._:-]{1,128}$/.test(correlationId)) throw new UsageError('--correlation-id takes letters, digits and . _ : - only');
  if (correlationId && pattern) throw new UsageError('use either --correlation-id or --filter');
  return correlationId ? `{ $.correlationId = "${correlationId}" }` : pattern;
}

/** Matching events of every group in [start, end], oldest first (the newest `limit` of them). Groups that do not exist yet are skipped. */
export async function readLogs(
  logs: CloudWatchLogsClient,
  groups: { logGroup: string; source: string }[],
  range: { start: number; end?: number; pattern?: string; limit?: number },
): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  await forEachLimited(groups, CONCURRENCY, async (g) => {
    let token: string | undefined;
    try {
      do {
        const out = await logs.send(new FilterLogEventsCommand({
          logGroupName: g.logGroup, startTime: range.start, endTime: range.end, filterPattern: range.pattern, nextToken: token,
        }));
        for (const e of out.events ?? []) {
          lines.push({ logGroup: g.logGroup, source: g.source, eventId: e.eventId ?? `${e.timestamp}/${e.message}`, timestamp: e.timestamp ?? 0, message: (e.message ?? '').trimEnd() });
        }
        token = out.nextToken;
      } while (token);
    } catch (err) {
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    }
  });
  lines.sort((a, b) => a.timestamp - b.timestamp);
  return range.limit ? lines.slice(-range.limit) : lines;
}

const HIDDEN = new Set(['timestamp', 'level', 'message', 'service', 'function', 'functionName', 'correlationId', 'requestId', 'apiRequestId']);

/** One readable line: time, where, level, message, correlation id, then the other fields. */
export function formatLine(line: LogLine): string {
  const time = new Date(line.timestamp).toISOString().slice(11, 23);
  try {
    const e = JSON.parse(line.message) as Record<string, unknown>;
    if (typeof e.message === 'string') {
      const rest = Object.fromEntries(Object.entries(e).filter(([k]) => !HIDDEN.has(k)));
      const ids = [e.correlationId && `correlationId=${e.correlationId}`, e.requestId && e.requestId !== e.correlationId && `requestId=${e.requestId}`].filter(Boolean).join(' ');
      return `${time} ${line.source} ${String(e.level ?? '').toUpperCase().padEnd(5)} ${e.message} ${ids} ${Object.keys(rest).length ? JSON.stringify(rest) : ''}`.trimEnd();
    }
  } catch {
    /* a plain line (START/END/REPORT, runtime errors) */
  }
  return `${time} ${line.source} ${line.message}`;
}

export const logsCommand: Command = {
  name: 'logs',
  summary: 'read or tail the functions\' CloudWatch logs: one function, a service, all of them, or one correlation id across services',
  usage: 'logs [--function sendMessage] [--service messageService] [--correlation-id ID] [--filter PATTERN] [--since 10m] [--tail] [--json]',
  options: {
    function: { type: 'string', multiple: true, description: 'a function (sendMessage, messageService:sendMessage or the full Lambda name); repeatable' },
    service: { type: 'string', multiple: true, description: 'every function of a service; repeatable' },
    group: { type: 'string', multiple: true, description: 'any log group, e.g. /aws/elasticache/realtime-redis; repeatable' },
    'correlation-id': { type: 'string', description: 'only lines of this correlation id (all functions unless narrowed)' },
    filter: { type: 'string', description: 'a CloudWatch Logs filter pattern, e.g. \'{ $.level = "error" }\'' },
    since: { type: 'string', description: 'how far back: 30s, 10m, 2h, 1d or an ISO date (default 10m)' },
    tail: { type: 'boolean', description: 'keep printing new lines until Ctrl-C' },
    limit: { type: 'string', description: 'at most this many lines (the newest; default 1000, no limit when tailing)' },
  },
  async run({ target, values, io }) {
    const groups = selectGroups(target.stage, listOption(values, 'function'), listOption(values, 'service'), listOption(values, 'group'));
    const pattern = filterPatternFor(stringOption(values, 'correlation-id'), stringOption(values, 'filter'));
    const limit = Number(stringOption(values, 'limit') ?? 1000);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit takes a positive whole number');
    const start = Date.now() - parseSince(stringOption(values, 'since') ?? '10m');
    const print = (l: LogLine) => io.out(values.json ? JSON.stringify({ logGroup: l.logGroup, timestamp: l.timestamp, message: l.message }) : formatLine(l));
    const logs = new CloudWatchLogsClient(target.client('logs'));
    try {
      if (!values.tail) {
        const lines = await readLogs(logs, groups, { start, pattern, limit });
        lines.forEach(print);
        if (!lines.length && !values.json) io.err(`no matching log lines since ${new Date(start).toISOString()} in ${groups.length} log group(s) on ${target.describe()}`);
        return 0;
      }
      io.err(`tailing ${groups.length} log group(s) on ${target.describe()}${pattern ? ` matching ${pattern}` : ''}; Ctrl-C stops`);
      const seen = new Map<string, number>();
      let from = start;
      let stopped = false;
      const stop = () => (stopped = true);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      while (!stopped) {
        const lines = await readLogs(logs, groups, { start: from, pattern });
        for (const l of lines) {
          const key = `${l.logGroup}/${l.eventId}`;
          if (seen.has(key)) continue;
          seen.set(key, l.timestamp);
          print(l);
        }
        const newest = Math.max(from, ...lines.map((l) => l.timestamp));
        from = Math.max(start, newest - TAIL_OVERLAP_MS);
        for (const [key, t] of seen) if (t < from) seen.delete(key);
        await new Promise((r) => setTimeout(r, TAIL_INTERVAL_MS));
      }
      return 0;
    } finally {
      logs.destroy();
    }
  },
};
