// CloudWatch Logs (AWS JSON 1.1, target prefix "Logs_20140328"). Times are epoch milliseconds.
import { compileFilterPattern, type Matcher } from './filter-pattern';
import { AwsError, bool, list, num, page, rec, str, strs, unknownAction, type Rec, type Service } from './protocol';

interface LogEvent { timestamp: number; message: string; ingestionTime: number; seq: number }
interface Stream { name: string; creationTime: number; events: LogEvent[]; lastIngestionTime?: number; sequence: number }
interface Group { name: string; creationTime: number; streams: Map<string, Stream> }
export type AppendEvent = string | { timestamp?: number; message: string };

const MAX_EVENTS_PER_STREAM = 50_000;
const invalid = (m: string) => new AwsError('InvalidParameterException', m);
const notFound = (what: string) => new AwsError('ResourceNotFoundException', `The specified ${what} does not exist.`);
const exists = (what: string) => new AwsError('ResourceAlreadyExistsException', `The specified ${what} already exists`);
const cursor = (e: LogEvent) => Buffer.from(`${e.timestamp}/${e.seq}`).toString('base64url');
const byTime = (a: LogEvent, b: LogEvent) => a.timestamp - b.timestamp || a.seq - b.seq;

export class LogsService implements Service {
  private groups = new Map<string, Group>();
  private seq = 0;
  onChange = (): void => {};

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  handle(action: string, i: Rec): unknown {
    switch (action) {
      case 'CreateLogGroup':
        this.createGroup(str(i.logGroupName) ?? '', true);
        return {};
      case 'DeleteLogGroup':
        this.groups.delete(this.group(i).name);
        this.onChange();
        return {};
      case 'DescribeLogGroups': {
        const prefix = str(i.logGroupNamePrefix) ?? '';
        const pattern = str(i.logGroupNamePattern)?.toLowerCase();
        const matches = [...this.groups.values()].filter((g) => g.name.startsWith(prefix) && (!pattern || g.name.toLowerCase().includes(pattern)))
          .sort((a, b) => a.name.localeCompare(b.name));
        const { items, next } = page(matches, i.nextToken, num(i.limit) ?? 50);
        return {
          logGroups: items.map((g) => ({
            logGroupName: g.name, creationTime: g.creationTime, metricFilterCount: 0,
            arn: `${this.arn(g.name)}:*`, logGroupArn: this.arn(g.name), storedBytes: this.bytes([...g.streams.values()]), logGroupClass: 'STANDARD',
          })),
          nextToken: next,
        };
      }
      case 'CreateLogStream': {
        const g = this.group(i);
        const name = str(i.logStreamName) ?? '';
        if (!/^[^:*]{1,512}$/.test(name)) throw invalid('1 validation error detected: Value at \'logStreamName\' failed to satisfy constraint');
        if (g.streams.has(name)) throw exists('log stream');
        this.createStream(g, name);
        return {};
      }
      case 'DescribeLogStreams': {
        const g = this.group(i);
        const prefix = str(i.logStreamNamePrefix) ?? '';
        const last = (s: Stream) => s.events.at(-1)?.timestamp ?? 0;
        const sorted = [...g.streams.values()].filter((s) => s.name.startsWith(prefix))
          .sort((a, b) => (str(i.orderBy) === 'LastEventTime' ? last(a) - last(b) : a.name.localeCompare(b.name)));
        if (bool(i.descending)) sorted.reverse();
        const { items, next } = page(sorted, i.nextToken, num(i.limit) ?? 50);
        return {
          logStreams: items.map((s) => ({
            logStreamName: s.name, creationTime: s.creationTime, arn: `${this.arn(g.name)}:log-stream:${s.name}`, storedBytes: 0,
            firstEventTimestamp: s.events[0]?.timestamp, lastEventTimestamp: s.events.at(-1)?.timestamp,
            lastIngestionTime: s.lastIngestionTime, uploadSequenceToken: String(s.sequence),
          })),
          nextToken: next,
        };
      }
      case 'PutLogEvents': {
        const g = this.group(i);
        const s = g.streams.get(str(i.logStreamName) ?? '');
        if (!s) throw notFound('log stream');
        const events = list(i.logEvents).map(rec).map((e) => ({ timestamp: num(e.timestamp), message: str(e.message) }));
        if (!events.length) throw invalid("Value at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (events.some((e, k) => e.timestamp === undefined || e.message === undefined || (k > 0 && e.timestamp < (events[k - 1].timestamp ?? 0)))) {
          throw invalid('Log events in a single PutLogEvents request must be in chronological order, with a timestamp and a message.');
        }
        this.insert(s, events as { timestamp: number; message: string }[]);
        return { nextSequenceToken: String(s.sequence) };
      }
      case 'GetLogEvents':
        return this.getLogEvents(i);
      case 'FilterLogEvents':
        return this.filterLogEvents(i);
      default:
        throw unknownAction(action);
    }
  }

  /** Appends events programmatically (e.g. Lambda stdout), creating the group and stream as needed. */
  append(groupName: string, streamName: string, events: AppendEvent[]): void {
    const g = this.groups.get(groupName) ?? this.createGroup(groupName, false);
    const s = g.streams.get(streamName) ?? this.createStream(g, streamName);
    const now = Date.now();
    this.insert(s, events.map((e) => (typeof e === 'string' ? { message: e, timestamp: now } : { message: e.message, timestamp: e.timestamp ?? now })));
  }

  snapshot(): unknown {
    return { seq: this.seq, groups: [...this.groups.values()].map((g) => ({ ...g, streams: [...g.streams.values()] })) };
  }

  restore(data: unknown): void {
    const d = rec(data);
    this.seq = num(d.seq) ?? 0;
    this.groups = new Map(list(d.groups).map((raw) => {
      const g = raw as Group & { streams: Stream[] };
      return [g.name, { ...g, streams: new Map(g.streams.map((s) => [s.name, s])) }];
    }));
  }

  private createGroup(name: string, strict: boolean): Group {
    if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(name)) throw invalid(`Value '${name}' at 'logGroupName' failed to satisfy constraint`);
    if (strict && this.groups.has(name)) throw exists('log group');
    const g: Group = { name, creationTime: Date.now(), streams: new Map() };
    this.groups.set(name, g);
    this.onChange();
    return g;
  }

  private createStream(g: Group, name: string): Stream {
    const s: Stream = { name, creationTime: Date.now(), events: [], sequence: 1 };
    g.streams.set(name, s);
    this.onChange();
    return s;
  }

  private insert(s: Stream, events: { timestamp: number; message: string }[]): void {
    const now = Date.now();
    for (const e of events) {
      const ev = { timestamp: e.timestamp, message: e.message, ingestionTime: now, seq: ++this.seq };
      if (!s.events.length || s.events[s.events.length - 1].timestamp <= ev.timestamp) s.events.push(ev);
      else s.events.splice(s.events.findIndex((x) => x.timestamp > ev.timestamp), 0, ev);
    }
    if (s.events.length > MAX_EVENTS_PER_STREAM) s.events.splice(0, s.events.length - MAX_EVENTS_PER_STREAM);
    s.lastIngestionTime = now;
    s.sequence++;
    this.onChange();
  }

  /** The group named by logGroupName or logGroupIdentifier (a name or an ARN). */
  private group(i: Rec): Group {
    const name = str(i.logGroupName) ?? str(i.logGroupIdentifier)?.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, '').replace(/:\*$/, '');
    if (!name) throw invalid('Either logGroupName or logGroupIdentifier must be given.');
    const g = this.groups.get(name);
    if (!g) throw notFound('log group');
    return g;
  }

  private getLogEvents(i: Rec): Rec {
    const s = this.group(i).streams.get(str(i.logStreamName) ?? '');
    if (!s) throw notFound('log stream');
    const events = s.events.filter((e) => inRange(e, i, false));
    const limit = Math.min(num(i.limit) ?? 10_000, 10_000);
    const [dir, at] = (str(i.nextToken) ?? '').split('/');
    let start: number;
    if (dir === 'f') start = Number(at);
    else if (dir === 'b') start = Math.max(0, Number(at) - limit);
    else start = bool(i.startFromHead) ? 0 : Math.max(0, events.length - limit);
    const end = Math.min(events.length, dir === 'b' ? Number(at) : start + limit);
    return {
      events: events.slice(start, end).map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
      nextForwardToken: `f/${end}`,
      nextBackwardToken: `b/${start}`,
    };
  }

  private filterLogEvents(i: Rec): Rec {
    const g = this.group(i);
    let match: Matcher;
    try {
      match = compileFilterPattern(str(i.filterPattern));
    } catch (err) {
      throw invalid(`Invalid filter pattern: ${err instanceof Error ? err.message : String(err)}`);
    }
    const names = strs(i.logStreamNames);
    const prefix = str(i.logStreamNamePrefix) ?? '';
    const streams = [...g.streams.values()].filter((s) => (!names.length || names.includes(s.name)) && s.name.startsWith(prefix));
    const [ct, cs] = (i.nextToken ? Buffer.from(String(i.nextToken), 'base64url').toString() : '').split('/').map(Number);
    const after = (e: LogEvent) => !i.nextToken || e.timestamp > ct || (e.timestamp === ct && e.seq > cs);
    const hits = streams
      .flatMap((s) => s.events.filter((e) => inRange(e, i, true) && after(e) && match(e.message)).map((e) => ({ e, stream: s.name })))
      .sort((a, b) => byTime(a.e, b.e));
    const limit = Math.min(num(i.limit) ?? 10_000, 10_000);
    const shown = hits.slice(0, limit);
    return {
      events: shown.map(({ e, stream }) => ({
        logStreamName: stream, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: String(e.seq),
      })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: hits.length <= limit })),
      nextToken: hits.length > limit ? cursor(shown[shown.length - 1].e) : undefined,
    };
  }

  private arn(group: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${group}`;
  }

  private bytes(streams: Stream[]): number {
    return streams.reduce((n, s) => n + s.events.reduce((m, e) => m + Buffer.byteLength(e.message), 0), 0);
  }
}

/** GetLogEvents excludes endTime itself, FilterLogEvents includes it. */
function inRange(e: LogEvent, i: Rec, endInclusive: boolean): boolean {
  const start = num(i.startTime);
  const end = num(i.endTime);
  return (start === undefined || e.timestamp >= start) && (end === undefined || e.timestamp < end || (endInclusive && e.timestamp === end));
}
