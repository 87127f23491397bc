import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { call, newUser, type HttpAnswer, type TestUser } from '../../../test/support/http';
import { awsConfig, endpoints } from '../../../test/support/stack';

export type Role = 'owner' | 'admin' | 'member';

let documentClient: DynamoDBDocumentClient | undefined;
/** A document client on the stack's DynamoDB Local, for arranging state and checking what was stored. */
export function db(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig(endpoints().dynamodb)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function closeDb(): void {
  documentClient?.destroy();
  documentClient = undefined;
}

/** messageService over HTTP. */
export const message = (method: string, path: string, token?: string, body?: unknown, rawBody?: string): Promise<HttpAnswer> =>
  call(endpoints().message, method, path, { token, body, rawBody });

export const messagesPath = (conversationId: string, rest = '') => `/conversations/${encodeURIComponent(conversationId)}/messages${rest}`;

export async function send(user: TestUser, conversationId: string, content: string, clientMessageId?: string): Promise<HttpAnswer> {
  return message('POST', messagesPath(conversationId), user.accessToken, { content, ...(clientMessageId ? { clientMessageId } : {}) });
}

/** Sends and insists on 201; returns the stored message. */
export async function sent(user: TestUser, conversationId: string, content: string, clientMessageId?: string): Promise<any> {
  const answer = await send(user, conversationId, content, clientMessageId);
  if (answer.status !== 201) throw new Error(`send failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const users = new Map<string, Promise<TestUser>>();
let signUps: Promise<unknown> = Promise.resolve();
/**
 * A signed-in user per name within one test file. Sign-ups run one after another: parallel ones
 * would each cold-start another authService container in serverless-offline, which on a busy
 * 2-core machine can pass the 10 s function timeout.
 */
export function user(name: string): Promise<TestUser> {
  let u = users.get(name);
  if (!u) {
    u = signUps.then(async () => {
      const created = await newUser(name, name.toLowerCase().replace(/[^a-z]/g, ''));
      if (!created.accessToken) throw new Error(`sign-in of ${name} gave no token (an emulator timeout answers 200 without one)`);
      return created;
    });
    signUps = u.catch(() => undefined);
    users.set(name, u);
  }
  return u;
}

/**
 * serverless-offline answers a Lambda timeout of an HTTP API route with status 200 and a body
 * `{errorMessage: "[504] - Lambda timeout."}`; this tells a real send answer from that.
 */
export const isMessage = (answer: HttpAnswer) => typeof answer.body?.messageId === 'string' && typeof answer.body?.seq === 'number';

/** serverless-offline's answer when the function timed out (see isMessage), or a real 5xx. */
export const isEmulatorTimeout = (answer: HttpAnswer) => answer.status >= 500 || /Lambda timeout/.test(String(answer.body?.errorMessage ?? ''));
/** sendMessage's answer when it gave up racing for the next seq in a very busy conversation. */
export const isBusy = (answer: HttpAnswer) => answer.status === 409 && /busy/i.test(String(answer.body?.error?.message ?? ''));

/**
 * Sends like a careful client: after a timeout, or a 409 "busy, retry", it sends again with the
 * same clientMessageId, which the contract makes safe (a retry returns the first message if an
 * earlier attempt stored it). Returns the final answer and what had to be retried.
 */
export async function sendWithRetry(
  u: TestUser,
  conversationId: string,
  content: string,
  clientMessageId: string,
): Promise<{ answer: HttpAnswer; retries: number; timeouts: number; busy: number }> {
  let timeouts = 0;
  let busy = 0;
  for (let retries = 0; ; retries++) {
    const answer = await send(u, conversationId, content, clientMessageId);
    if (isEmulatorTimeout(answer)) timeouts++;
    else if (isBusy(answer)) busy++;
    else return { answer, retries, timeouts, busy };
    if (retries === 10) return { answer, retries, timeouts, busy };
  }
}

/**
 * serverless-offline starts one worker (a Lambda container) per concurrent request, and many cold
 * starts at once on a busy 2-core machine can pass the function timeout (10 s) before our code
 * runs: an artefact of the emulator, not of sendMessage. Tests that need `concurrency` requests in
 * flight at once start that many sendMessage containers first, in a scratch conversation, retrying
 * the way a client would (same clientMessageId, so a retry is harmless).
 */
export async function warmUpSendMessage(members: TestUser[], concurrency: number): Promise<void> {
  const scratch = await conversationWith(members[0]!, members.slice(1).map((u) => ({ user: u })));
  for (let round = 1; round <= 6; round++) {
    const answers = await Promise.all(
      Array.from({ length: concurrency }, (_, i) => send(members[i % members.length]!, scratch, 'warming up', `warm-${round}-${i}`)),
    );
    if (answers.every(isMessage)) return;
  }
  throw new Error(`sendMessage containers did not warm up for ${concurrency} concurrent requests`);
}

/**
 * A group conversation with these members, created through connectService's HTTP API when it
 * runs (the owner creates it and adds the others with their roles); otherwise written straight
 * into `conversations` and `conversation-members-table` the way connectService stores them.
 */
export async function conversationWith(owner: TestUser, others: { user: TestUser; role?: Role }[] = []): Promise<string> {
  const e = endpoints();
  if (e.connect && process.env.MESSAGE_TESTS_DIRECT_CONVERSATIONS !== '1') {
    const created = await call(e.connect, 'POST', '/conversations', {
      token: owner.accessToken,
      body: { name: `chat ${randomUUID().slice(0, 6)}`, memberIds: others.filter((o) => (o.role ?? 'member') === 'member').map((o) => o.user.userId) },
    });
    if (created.status === 201) {
      const conversationId = (created.body.conversationId ?? created.body.conversation?.conversationId) as string;
      for (const o of others.filter((x) => x.role && x.role !== 'member')) {
        const added = await call(e.connect, 'POST', `/conversations/${conversationId}/members`, {
          token: owner.accessToken,
          body: { userId: o.user.userId, role: o.role },
        });
        if (added.status !== 201) throw new Error(`addMember failed: ${added.status} ${JSON.stringify(added.body)}`);
      }
      return conversationId;
    }
    if (created.status !== 404) throw new Error(`createConversation failed: ${created.status} ${JSON.stringify(created.body)}`);
    // 404: connectService runs but has no such route yet; fall through to writing the items.
  }
  const conversationId = randomUUID();
  const now = new Date().toISOString();
  const members = [{ user: owner, role: 'owner' as Role }, ...others.map((o) => ({ user: o.user, role: o.role ?? 'member' }))];
  await db().send(
    new PutCommand({
      TableName: 'conversations',
      Item: {
        conversationId,
        type: 'group',
        name: 'test chat',
        createdBy: owner.userId,
        createdAt: now,
        updatedAt: now,
        memberCount: members.length,
        lastActivityAt: now,
      },
    }),
  );
  for (const m of members) {
    await db().send(
      new PutCommand({
        TableName: 'conversation-members-table',
        Item: { conversationId, userId: m.user.userId, role: m.role, joinedAt: now, lastReadSeq: 0 },
      }),
    );
  }
  return conversationId;
}

/** Removes a member the way an operator or connectService would: the row goes. */
export async function removeMember(conversationId: string, userId: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: 'conversation-members-table', Key: { conversationId, userId } }));
  await db().send(
    new UpdateCommand({ TableName: 'conversations', Key: { conversationId }, UpdateExpression: 'ADD memberCount :m', ExpressionAttributeValues: { ':m': -1 } }),
  );
}

export async function conversationItem(conversationId: string): Promise<Record<string, any> | undefined> {
  return (await db().send(new GetCommand({ TableName: 'conversations', Key: { conversationId }, ConsistentRead: true }))).Item;
}

export async function memberItem(conversationId: string, userId: string): Promise<Record<string, any> | undefined> {
  return (await db().send(new GetCommand({ TableName: 'conversation-members-table', Key: { conversationId, userId }, ConsistentRead: true }))).Item;
}

/** Every item of the conversation in `Messages` whose sort key starts with `prefix`. */
export async function storedItems(conversationId: string, prefix: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: 'Messages',
        KeyConditionExpression: 'conversationId = :c AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':c': conversationId, ':p': prefix },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export interface CapturedEvent {
  eventId: string;
  type: string;
  conversationId: string;
  data: Record<string, any>;
  correlationId: string;
  occurredAt: string;
}

/**
 * Subscribes a small HTTP endpoint of this test process to `chat-message-topic` (the SNS stand-in
 * delivers to http subscribers like SNS does), so tests see exactly what was published.
 */
export async function captureEvents(): Promise<{
  events: CapturedEvent[];
  waitFor(predicate: (e: CapturedEvent) => boolean, what: string): Promise<CapturedEvent>;
  stop(): Promise<void>;
}> {
  const events: CapturedEvent[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        const notification = JSON.parse(body) as { Type?: string; Message?: string };
        if (notification.Type === 'Notification' && notification.Message) events.push(JSON.parse(notification.Message));
      } catch {
        /* not a notification */
      }
      res.writeHead(200).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const e = endpoints();
  const sns = new SNSClient(awsConfig(e.sns));
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: e.topicArn, Protocol: 'http', Endpoint: `http://127.0.0.1:${port}/` }));
  return {
    events,
    async waitFor(predicate, what) {
      // Bounded by the test's own timeout; SNS delivery is asynchronous, so wait for it to arrive.
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250).unref();
        });
        if (!server.listening) throw new Error(`stopped while waiting for ${what}`);
      }
    },
    async stop() {
      await sns.send(new UnsubscribeCommand({ SubscriptionArn })).catch(() => undefined);
      sns.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
