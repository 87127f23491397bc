/**
 * `npm run bench:fanout`: send → last-delivery latency of a message to every member of a group,
 * through the whole local stack (messageService HTTP → DynamoDB → SNS → snsFanoutHandler →
 * PostToConnection → the members' WebSockets), beside the floor of a plain `ws` broadcast server
 * on the same machine, and the DynamoDB requests each fan-out made (its `fanout.completed` line).
 *
 *   npm run bench:fanout [-- --sizes 2,10,50,200] [--messages 20]
 *
 * Starts its own stack on free ports (127.0.0.1 only) and stops everything at the end, on error,
 * on Ctrl-C and at a deadline. Messages go one at a time, so a latency is never time spent
 * queueing behind the previous message.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';
import { mapLimited } from '@shared/platform/concurrency';
import type { DeliveryReport } from '../../realTimeService/src/fan-out';
import { ACCOUNT_PASSWORD, createAccount } from '../lib/accounts';
import { commandLine } from '../lib/args';
import { requestJson } from '../lib/http';
import type { Endpoints } from '../lib/local-stack';
import { sleep } from '../local/processes';
import { startStack } from '../local/stack';
import { markdownTable, median, ms, percentile, runContext } from './report';

const argv = process.argv.slice(2);
const { values: options } = commandLine('npm run bench:fanout [-- --sizes 2,10,50,200] [--messages 20]', { sizes: { type: 'string' }, messages: { type: 'string' } }, argv);
const SIZES = (options.sizes ?? '2,10,50,200').split(',').map(Number);
const MESSAGES = Number(options.messages ?? 20);

/** Sign-ups and socket connects in flight at once: enough to be quick, few enough for 2 cores. */
const USER_CONCURRENCY = 4;
const CONNECT_CONCURRENCY = 4;
/** connectService takes this many members with the group; the rest join one addMember call each. */
const INITIAL_MEMBERS = 50;
const DELIVERY_TIMEOUT_MS = 30_000;
/** How long one membership event (group created, member added) may take to reach every member. */
const MEMBERSHIP_EVENT_TIMEOUT_MS = 60_000;
/** The whole run is cut off here, whatever state it is in. */
const RUN_DEADLINE_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// The stack's output: every line to a log file, `fanout.completed` lines kept by event id.

/** realTimeService's `fanout.completed` line: the delivery report and what the fan-out cost. */
interface FanoutLine extends DeliveryReport {
  eventId: string;
  eventType: string;
  conversationId: string;
  dynamoRequests: number;
  durationMs: number;
}

class StackOutput {
  readonly file = path.join(os.tmpdir(), `bench-fanout-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  readonly fanouts = new Map<string, FanoutLine>();
  private readonly stream = fs.createWriteStream(this.file);

  line = (source: string, line: string): void => {
    this.stream.write(`${source} ${line}\n`);
    if (!line.includes('fanout.completed')) return;
    try {
      const entry = JSON.parse(line.slice(line.indexOf('{'))) as Partial<FanoutLine> & { message?: string };
      if (entry.message === 'fanout.completed' && entry.eventId) this.fanouts.set(entry.eventId, entry as FanoutLine);
    } catch {
      /* not the JSON line itself */
    }
  };

  fanoutsOf(conversationId: string, types: readonly string[]): FanoutLine[] {
    return [...this.fanouts.values()].filter((f) => f.conversationId === conversationId && types.includes(f.eventType));
  }

  close(): void {
    this.stream.end();
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP clients of the services.

async function call<T>(base: string, method: string, urlPath: string, expected: number[], options: { token?: string; body?: unknown } = {}): Promise<T> {
  const answer = await requestJson<(T & { errorType?: string }) | string | undefined>(`${base}${urlPath}`, { method, ...options });
  // Not JSON, or serverless offline's own error body for a timed-out or crashed handler (sometimes as a 200).
  if (!expected.includes(answer.status) || typeof answer.body === 'string' || answer.body?.errorType) {
    throw new Error(`${method} ${urlPath} → ${answer.status} ${answer.text.slice(0, 300)}`);
  }
  return answer.body as T;
}

interface BenchUser {
  userId: string;
  token: string;
}

async function createUsers(e: Endpoints, count: number, runId: string): Promise<BenchUser[]> {
  const auth = e.auth!;
  const createOne = async (i: number, attempt: number): Promise<BenchUser> => {
    const email = `bench-${runId}-${i}-${attempt}@example.com`;
    try {
      const { userId, accessToken } = await createAccount(auth, { email, password: ACCOUNT_PASSWORD, fullName: `Bench User ${i}` }, e.confirmationCode);
      return { userId: userId!, token: accessToken };
    } catch (err) {
      // Setup, not measurement: on a busy machine a cold function can time out; start over with a fresh email.
      if (attempt >= 3) throw err;
      progress(`  user ${i}: ${(err as Error).message.slice(0, 120)} — retrying`);
      return createOne(i, attempt + 1);
    }
  };
  // The first one alone, so the concurrent ones find the functions loaded.
  const first = await createOne(0, 1);
  const rest = await mapLimited(Array.from({ length: count - 1 }, (_, i) => i + 1), USER_CONCURRENCY, (i) => createOne(i, 1));
  return [first, ...rest];
}

/**
 * A group owned by members[0] with everyone else in it: 50 with the group, the rest one addMember
 * call each. Each membership event is fanned out to every member's socket before the next change:
 * fired back to back, a 200-member group's ~150 member.added fan-outs all run at once inside the
 * one serverless offline process and crawl. Returns once every member heard of every change.
 */
async function createGroup(e: Endpoints, output: StackOutput, members: BenchUser[], name: string): Promise<string> {
  const [owner, ...others] = members;
  const { conversationId } = await call<{ conversationId: string }>(e.connect!, 'POST', '/conversations', [201], {
    token: owner.token,
    body: { name, memberIds: others.slice(0, INITIAL_MEMBERS).map((u) => u.userId) },
  });
  const fannedOut = async (events: number) => {
    const until = Date.now() + MEMBERSHIP_EVENT_TIMEOUT_MS;
    while (output.fanoutsOf(conversationId, ['conversation.created', 'member.added']).length < events) {
      if (Date.now() > until) throw new Error(`${name}: membership event ${events} not fanned out within ${MEMBERSHIP_EVENT_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
  };
  await fannedOut(1);
  const added = others.slice(INITIAL_MEMBERS);
  for (const [i, user] of added.entries()) {
    await call(e.connect!, 'POST', `/conversations/${conversationId}/members`, [201], { token: owner.token, body: { userId: user.userId } });
    await fannedOut(2 + i);
  }
  return conversationId;
}

// ---------------------------------------------------------------------------------------------
// Sockets and the send → last-delivery measurement (the same code for the stack and the floor).

interface Delivery {
  remaining: Set<number>;
  eventId?: string;
  done: (at: number) => void;
}

class Sockets {
  private readonly pending = new Map<string, Delivery>();
  private lastFrameAt = performance.now();

  private constructor(readonly sockets: WebSocket[]) {
    sockets.forEach((socket, index) => socket.on('message', (raw) => this.onFrame(index, raw.toString())));
  }

  /** Opens one socket per url, in the order given (socket i belongs to url i). */
  static async open(urls: string[]): Promise<Sockets> {
    const sockets: WebSocket[] = new Array(urls.length);
    try {
      await mapLimited(urls.map((url, i) => ({ url, i })), CONNECT_CONCURRENCY, async ({ url, i }) => {
        sockets[i] = await connectWithRetry(url);
      });
    } catch (err) {
      sockets.forEach((s) => s?.terminate());
      throw err;
    }
    return new Sockets(sockets);
  }

  private onFrame(index: number, text: string): void {
    this.lastFrameAt = performance.now();
    let frame: { type?: string; data?: { content?: string; eventId?: string } };
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.type !== 'message.created' || !frame.data?.content) return;
    const delivery = this.pending.get(frame.data.content);
    if (!delivery?.remaining.has(index)) return;
    delivery.eventId ??= frame.data.eventId;
    delivery.remaining.delete(index);
    if (delivery.remaining.size === 0) delivery.done(performance.now());
  }

  /**
   * Starts `send` and resolves with the time until each of the first `audience` sockets got the
   * `message.created` frame with this content (frames may come before the sender's HTTP answer).
   */
  async measure(content: string, audience: number, send: () => Promise<unknown>): Promise<{ latencyMs: number; eventId?: string }> {
    let done!: (at: number) => void;
    const delivered = new Promise<number>((resolve) => (done = resolve));
    const delivery: Delivery = { remaining: new Set(Array.from({ length: audience }, (_, i) => i)), done };
    this.pending.set(content, delivery);
    let timer: NodeJS.Timeout | undefined;
    try {
      const started = performance.now();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${delivery.remaining.size} of ${audience} sockets did not get "${content}" within ${DELIVERY_TIMEOUT_MS} ms`)), DELIVERY_TIMEOUT_MS);
      });
      const [at] = await Promise.race([Promise.all([delivered, send()]), timeout]);
      return { latencyMs: at - started, eventId: delivery.eventId };
    } finally {
      clearTimeout(timer);
      this.pending.delete(content);
    }
  }

  /** Resolves once no frame has arrived for quietMs, and tells how long that took. */
  async settle(quietMs = 2000, maxMs = 60_000): Promise<number> {
    const started = performance.now();
    while (performance.now() - this.lastFrameAt < quietMs && performance.now() - started < maxMs) await sleep(100);
    return performance.now() - started;
  }

  /** Drops the connections without a closing handshake (fine for a benchmark's own sockets). */
  terminate(): void {
    for (const s of this.sockets) s.terminate();
  }
}

/** Setup, not measurement: a `$connect` that timed out on a busy machine is tried again. */
async function connectWithRetry(url: string, attempts = 3): Promise<WebSocket> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect(url);
    } catch (err) {
      if (attempt >= attempts) throw err;
      progress(`  ${(err as Error).message} — retrying`);
    }
  }
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.terminate();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`WebSocket connect timed out: ${url.replace(/token=[^&]+/, 'token=…')}`)), 30_000);
    socket.once('open', () => (clearTimeout(timer), resolve(socket)));
    socket.once('unexpected-response', (_req, res) => fail(new Error(`WebSocket connect refused: HTTP ${res.statusCode}`)));
    socket.once('error', fail);
  });
}

// ---------------------------------------------------------------------------------------------
// The two sides of the comparison.

interface SizeResult {
  size: number;
  stack: number[];
  floor: number[];
  /** The fan-out lines of the measured messages. */
  fanouts: FanoutLine[];
  /** The fan-out line of the unmeasured first message to the group. */
  warmUp?: FanoutLine;
  /** The fan-out line of the group's last membership event, which re-read the member list (cache invalidated). */
  lastMembershipEvent?: FanoutLine;
}

/**
 * One group of `size` through the stack. Every user's socket is open from the start (see main);
 * the group's members are the first `size` users, so their sockets are the first `size`.
 */
async function measureStack(e: Endpoints, output: StackOutput, users: BenchUser[], sockets: Sockets, size: number, runId: string): Promise<Omit<SizeResult, 'size' | 'floor'>> {
  const members = users.slice(0, size);
  progress(`group of ${size}: creating the conversation and waiting for its membership events to be delivered`);
  const built = Date.now();
  const conversationId = await createGroup(e, output, members, `bench ${size}`);
  const lastMembershipEvent = output.fanoutsOf(conversationId, ['conversation.created', 'member.added']).pop();
  const quiet = await sockets.settle();
  progress(`group of ${size}: ready after ${((Date.now() - built) / 1000).toFixed(1)} s (last ${(quiet / 1000).toFixed(1)} s waiting for quiet)`);

  const send = (i: number | 'warm-up') => {
    const content = `bench ${runId} stack ${size} #${i}`;
    return sockets.measure(content, size, () =>
      call(e.message!, 'POST', `/conversations/${conversationId}/messages`, [201], { token: members[0].token, body: { content, clientMessageId: randomUUID() } }),
    );
  };
  // Not measured: the run's first send loads sendMessage and snsFanoutHandler in serverless
  // offline; every group gets one, so each size is measured alike.
  const warmUp = await send('warm-up');
  progress(`group of ${size}: sending ${MESSAGES} messages through messageService`);
  const latencies: number[] = [];
  const eventIds: string[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const { latencyMs, eventId } = await send(i);
    latencies.push(latencyMs);
    if (eventId) eventIds.push(eventId);
  }
  // A fan-out's log line comes after its last PostToConnection answered: give it a moment.
  const wanted = [...eventIds, warmUp.eventId ?? ''];
  const until = Date.now() + 10_000;
  while (wanted.some((id) => !output.fanouts.has(id)) && Date.now() < until) await sleep(100);
  return {
    stack: latencies,
    fanouts: eventIds.map((id) => output.fanouts.get(id)).filter((f): f is FanoutLine => !!f),
    warmUp: output.fanouts.get(warmUp.eventId ?? ''),
    lastMembershipEvent,
  };
}

/** A `ws` server that relays whatever one client sends to every client: the least any fan-out can take here. */
async function measureFloor(size: number, runId: string, cleanup: Cleanup): Promise<number[]> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => socket.on('message', (data, isBinary) => server.clients.forEach((c) => c.send(data, { binary: isBinary }))));
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const unregisterServer = cleanup.add(closeServer);
  try {
    const { port } = server.address() as { port: number };
    const sockets = await Sockets.open(Array.from({ length: size }, () => `ws://127.0.0.1:${port}`));
    try {
      const sender = sockets.sockets[0];
      const send = (i: number | 'warm-up') => {
        const content = `bench ${runId} floor ${size} #${i}`;
        const frame = JSON.stringify({ type: 'message.created', data: { content }, correlationId: content });
        return sockets.measure(content, size, () => new Promise<void>((resolve, reject) => sender.send(frame, (err) => (err ? reject(err) : resolve()))));
      };
      await send('warm-up'); // as on the stack side
      const latencies: number[] = [];
      for (let i = 0; i < MESSAGES; i++) latencies.push((await send(i)).latencyMs);
      return latencies;
    } finally {
      sockets.terminate();
    }
  } finally {
    await closeServer();
    unregisterServer();
  }
}

// ---------------------------------------------------------------------------------------------

/** Things to stop on the way out, whichever way out it is (done, error, Ctrl-C, deadline). */
class Cleanup {
  private readonly steps = new Set<() => Promise<void>>();
  add(step: () => Promise<void>): () => void {
    this.steps.add(step);
    return () => this.steps.delete(step);
  }
  async run(): Promise<void> {
    for (const step of [...this.steps].reverse()) {
      this.steps.delete(step);
      await step().catch((err: Error) => progress(`clean-up step failed: ${err.message}`));
    }
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const runId = randomUUID().slice(0, 8);
  const output = new StackOutput();
  const cleanup = new Cleanup();
  let exiting = false;
  const exit = async (code: number, why?: string) => {
    if (exiting) return;
    exiting = true;
    if (why) progress(why);
    await cleanup.run();
    output.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void exit(130, 'interrupted: stopping everything …'));
  process.on('SIGTERM', () => void exit(143, 'terminated: stopping everything …'));
  setTimeout(() => void exit(1, `bench:fanout FAILED: still running after ${RUN_DEADLINE_MS / 60_000} minutes; stopping everything`), RUN_DEADLINE_MS).unref();

  try {
    progress(`starting the local stack on free ports (log: ${output.file})`);
    const stack = await startStack({ ports: 'free', output: output.line, progress: (l) => progress(`  ${l}`) });
    const e = stack.endpoints;
    const missing = (['auth', 'connect', 'message', 'websocket'] as const).filter((k) => !e[k]);
    const open: { sockets?: Sockets } = {};
    // The stack stops first: closing hundreds of sockets under it would only start an offline-presence storm.
    cleanup.add(async () => open.sockets?.terminate());
    cleanup.add(() => stack.stop());
    if (missing.length) throw new Error(`the stack lacks ${missing.join(', ')}: every service must exist to measure a fan-out`);

    const userCount = Math.max(...SIZES);
    progress(`creating ${userCount} users (sign up, confirm, sign in; ${USER_CONCURRENCY} at a time)`);
    const usersStarted = Date.now();
    const users = await createUsers(e, userCount, runId);
    progress(`  ${userCount} users in ${((Date.now() - usersStarted) / 1000).toFixed(0)} s`);

    /*
     * Everyone connects once, before sharing any conversation: presence then goes to nobody. A
     * group's members hear of each other through its membership events instead (n²/2 frames for
     * a group of n, waited out before measuring); connecting after joining would cost the same as
     * presence, and reconnecting per group would pay it again for every group.
     */
    progress(`connecting ${userCount} sockets (${CONNECT_CONCURRENCY} at a time)`);
    const connectStarted = Date.now();
    const sockets = (open.sockets = await Sockets.open(users.map((u) => `${e.websocket}?token=${encodeURIComponent(u.token)}`)));
    progress(`  connected in ${((Date.now() - connectStarted) / 1000).toFixed(0)} s`);

    const results: SizeResult[] = [];
    for (const size of [...SIZES].sort((a, b) => a - b)) {
      const stackSide = await measureStack(e, output, users, sockets, size, runId);
      progress(`group of ${size}: the plain ws floor`);
      const floor = await measureFloor(size, runId, cleanup);
      results.push({ size, floor, ...stackSide });
      progress(`group of ${size}: stack p50 ${ms(median(stackSide.stack))}, floor p50 ${ms(median(floor), 2)}`);
    }
    console.log(report(results, Date.now() - started, output.file));
    await exit(0);
  } catch (err) {
    if (exiting) return; // interrupted: stopping the stack is what made the call in flight fail
    console.error(`\nbench:fanout FAILED: ${(err as Error).stack ?? err}\nstack log: ${output.file}`);
    await exit(1);
  }
}

function report(results: SizeResult[], elapsedMs: number, logFile: string): string {
  const requests = (r: SizeResult) => {
    const counts = r.fanouts.map((f) => f.dynamoRequests);
    if (!counts.length) return 'n/a';
    const [min, max] = [Math.min(...counts), Math.max(...counts)];
    return min === max ? String(min) : `${median(counts)} (${min}–${max})`;
  };
  const lines = [
    runContext(`npm run bench:fanout${argv.length ? ` -- ${argv.join(' ')}` : ''}`),
    `- messages: ${MESSAGES} per group size after one unmeasured warm-up, one at a time; one WebSocket per member; all on 127.0.0.1; run took ${(elapsedMs / 1000).toFixed(0)} s`,
    '',
    '### Send → last delivery (stack: HTTP sendMessage → … → every member socket; floor: plain ws broadcast)',
    '',
    markdownTable(
      ['group size', ' DynamoDB requests/message', ' p50 (stack)', ' p95 (stack)', ' p99 (stack)', ' p50 (plain ws floor)', ' p95 (plain ws floor)', ' p99 (plain ws floor)'],
      results.map((r) => [
        String(r.size),
        requests(r),
        ms(percentile(r.stack, 50)),
        ms(percentile(r.stack, 95)),
        ms(percentile(r.stack, 99)),
        ms(percentile(r.floor, 50), 2),
        ms(percentile(r.floor, 95), 2),
        ms(percentile(r.floor, 99), 2),
      ]),
    ),
    '',
    '### What each fan-out did (from its `fanout.completed` log line; medians over the measured messages)',
    '',
    markdownTable(
      [
        'group size',
        ' fan-out lines',
        ' recipients',
        ' connections',
        ' delivered',
        ' gone',
        ' failed',
        ' snsFanoutHandler durationMs',
        ' DynamoDB requests, first message',
        ' DynamoDB requests, last membership event (member list re-read)',
      ],
      results.map((r) => {
        const m = (pick: (f: FanoutLine) => number) => (r.fanouts.length ? String(median(r.fanouts.map(pick))) : 'n/a');
        return [
          String(r.size),
          `${r.fanouts.length}/${MESSAGES}`,
          m((f) => f.recipients),
          m((f) => f.connections),
          m((f) => f.delivered),
          m((f) => f.gone),
          m((f) => f.failed),
          m((f) => f.durationMs),
          r.warmUp ? String(r.warmUp.dynamoRequests) : 'n/a',
          r.lastMembershipEvent ? `${r.lastMembershipEvent.dynamoRequests} (${r.lastMembershipEvent.eventType})` : 'n/a',
        ];
      }),
    ),
  ];
  const missing = results.filter((r) => r.fanouts.length < MESSAGES);
  if (missing.length) lines.push('', `fan-out log lines missing for: ${missing.map((r) => `group of ${r.size} (${MESSAGES - r.fanouts.length})`).join(', ')} — see ${logFile}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

function progress(line: string): void {
  process.stderr.write(`[bench:fanout] ${line}\n`);
}

void main();
