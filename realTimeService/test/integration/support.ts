import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { call, newUser, type HttpAnswer, type TestUser } from '../../../test/support/http';
import { awsConfig, endpoints } from '../../../test/support/stack';

/** How long a test waits for a frame before it gives up (cold starts on 2 cores take seconds). */
const WAIT_MS = 30_000;

export interface Frame {
  type: string;
  data: any;
  correlationId: string;
}

/** A real WebSocket client of the local stack that records every frame it receives. */
export class TestSocket {
  readonly frames: Frame[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(
    readonly ws: WebSocket,
    readonly label: string,
  ) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      this.waiters.forEach((wake) => wake());
    });
    ws.on('close', () => {
      this.closed = true;
      this.waiters.forEach((wake) => wake());
    });
  }

  /** Connects with `?token=`; rejects with the HTTP status when the server refuses. */
  static open(token: string | undefined, label = 'socket'): Promise<TestSocket> {
    const url = token === undefined ? endpoints().websocket! : `${endpoints().websocket}?token=${encodeURIComponent(token)}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new TestSocket(ws, label);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (req, res) => {
        // With this listener ws leaves the refused request open; left alone it keeps jest from exiting.
        req.destroy();
        reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode }));
      });
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a frame and waits for the answer that route gives (ack, pong or error) with a new correlation id. */
  async request(frame: unknown, answer: (f: Frame) => boolean = (f) => ['ack', 'pong', 'error'].includes(f.type)): Promise<Frame> {
    const before = this.frames.length;
    this.send(frame);
    return this.waitFor((f, i) => i >= before && answer(f));
  }

  /** The first frame (already received or still to come) that matches. */
  async waitFor(match: (f: Frame, index: number) => boolean, what = 'a matching frame', timeoutMs = WAIT_MS): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.closed) throw new Error(`${this.label}: closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label}: no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Waits for the event of `type` whose data matches `data` (a partial object). */
  waitForEvent(type: string, data: Record<string, unknown> = {}): Promise<Frame> {
    return this.waitFor((f) => f.type === type && matches(f.data, data), `${type} ${JSON.stringify(data)}`);
  }

  eventsOf(type: string, data: Record<string, unknown> = {}): Frame[] {
    return this.frames.filter((f) => f.type === type && matches(f.data, data));
  }

  /** Closes cleanly (API Gateway runs `$disconnect`). */
  async close(): Promise<void> {
    if (this.closed) return;
    const done = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close();
    await done;
  }
}

function matches(actual: any, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([key, value]) => actual?.[key] === value);
}

/** Lets events that are still travelling arrive before a test counts what was received. */
export const settle = (ms = 2_000) => new Promise((r) => setTimeout(r, ms));

export const users = (...names: string[]): Promise<TestUser[]> => Promise.all(names.map((n) => newUser(n)));

export const connectApi = <T = any>(method: string, path: string, as: TestUser, body?: unknown): Promise<HttpAnswer<T>> =>
  call<T>(endpoints().connect, method, path, { token: as.accessToken, body });

export const messageApi = <T = any>(method: string, path: string, as: TestUser, body?: unknown): Promise<HttpAnswer<T>> =>
  call<T>(endpoints().message, method, path, { token: as.accessToken, body });

/** A group owned by `owner`, created through connectService; returns its id. */
export async function group(owner: TestUser, members: TestUser[], name = 'Realtime group'): Promise<string> {
  const answer = await connectApi('POST', '/conversations', owner, { name, memberIds: members.map((m) => m.userId) });
  if (answer.status !== 201) throw new Error(`createConversation: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.conversationId as string;
}

/** Sends over HTTP (messageService's sendMessage). */
export async function sendOverHttp(as: TestUser, conversationId: string, content: string): Promise<any> {
  const answer = await messageApi('POST', `/conversations/${conversationId}/messages`, as, { content, clientMessageId: randomUUID() });
  if (answer.status !== 201) throw new Error(`sendMessage: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A document client on the stack's DynamoDB Local, for the few tests that set up state a client cannot. */
export function localDynamo(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig(endpoints().dynamodb)), { marshallOptions: { removeUndefinedValues: true } });
}
