import { call, newUser, type HttpAnswer, type TestUser } from '../../../test/support/http';
import { endpoints } from '../../../test/support/stack';

/** One call to connectService as `user` (or with a raw token string, or none). */
export function connect<T = any>(
  method: string,
  path: string,
  as?: TestUser | string,
  body?: unknown,
  options: { rawBody?: string } = {},
): Promise<HttpAnswer<T>> {
  const token = typeof as === 'string' ? as : as?.accessToken;
  return call<T>(endpoints().connect, method, path, { token, body, rawBody: options.rawBody });
}

/**
 * Fresh users, signed up one after another: cognito-local keeps a pool in one JSON file and
 * concurrent confirmations can overwrite each other (a confirmed user then reads as unconfirmed).
 */
export async function users(...fullNames: string[]): Promise<TestUser[]> {
  const created: TestUser[] = [];
  for (const name of fullNames) created.push(await newUser(name));
  return created;
}

/** A group owned by `owner` with `members`; returns its id. */
export async function group(owner: TestUser, members: TestUser[] = [], name = 'Test group'): Promise<string> {
  const answer = await connect('POST', '/conversations', owner, { name, memberIds: members.map((m) => m.userId) });
  if (answer.status !== 201) throw new Error(`createConversation failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.conversationId as string;
}

/** Walks getConversations to the end; returns every item in order and the number of pages. */
export async function allConversations(user: TestUser, limit: number): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: HttpAnswer = await connect('GET', `/conversations${query}`, user);
    if (page.status !== 200) throw new Error(`getConversations failed: ${page.status} ${JSON.stringify(page.body)}`);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
    pages++;
    if (pages > 1000) throw new Error('getConversations never ended');
  } while (cursor);
  return { items, pages };
}

/** A user id that no account has. */
export const UNKNOWN_USER_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Boots `n` instances of a function before a concurrency test: under `serverless offline` each
 * concurrent request beyond the idle instances starts a new worker (module load, SSM, JWKS), which
 * would spread the "concurrent" requests over seconds of boot time. Cheap refused requests (an
 * unknown body field, or a `path` with an invalid id: 400 after the token check, nothing changes)
 * boot them first, so the real requests meet warm instances and race in DynamoDB itself.
 */
export async function warmUp(method: string, path: string, as: TestUser, n: number, body: unknown = { warmUp: true }): Promise<void> {
  const answers = await Promise.all(Array.from({ length: n }, () => connect(method, path, as, body)));
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 400));
}
