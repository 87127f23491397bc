import { randomUUID } from 'node:crypto';
import { expectError, type TestUser } from '../../../test/support/http';
import {
  captureEvents,
  closeDb,
  conversationItem,
  conversationWith,
  memberItem,
  message,
  messagesPath,
  removeMember,
  send,
  sent,
  storedItems,
  user,
} from './support';

let alice: TestUser; // owner
let bob: TestUser; // member
let carol: TestUser; // admin
let mallory: TestUser; // not a member
let conversationId: string;
let capture: Awaited<ReturnType<typeof captureEvents>>;

beforeAll(async () => {
  [alice, bob, carol, mallory] = await Promise.all([user('Alice Owner'), user('Bob Member'), user('Carol Admin'), user('Mallory Outsider')]);
  conversationId = await conversationWith(alice, [{ user: bob }, { user: carol, role: 'admin' }]);
  capture = await captureEvents();
});

afterAll(async () => {
  await capture?.stop();
  closeDb();
});

const forged = `${Buffer.from('{"alg":"RS256","kid":"x"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.sig`;

describe('sendMessage', () => {
  it('stores a message as the next seq, answers 201, updates the conversation and publishes message.created', async () => {
    const before = await conversationItem(conversationId);
    const answer = await send(alice, conversationId, '  Hello, Bob!  ', 'c-1');
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      messageId: expect.any(String),
      conversationId,
      seq: Number(before?.lastSeq ?? 0) + 1,
      senderId: alice.userId,
      content: 'Hello, Bob!',
      createdAt: expect.any(String),
      clientMessageId: 'c-1',
    });
    const conversation = await conversationItem(conversationId);
    expect(conversation).toMatchObject({
      lastSeq: answer.body.seq,
      lastActivityAt: answer.body.createdAt,
      lastMessage: { messageId: answer.body.messageId, seq: answer.body.seq, senderId: alice.userId, preview: 'Hello, Bob!', createdAt: answer.body.createdAt },
    });
    const event = await capture.waitFor((e) => e.type === 'message.created' && e.data.messageId === answer.body.messageId, 'message.created');
    expect(event).toMatchObject({ conversationId, data: answer.body, correlationId: answer.headers.get('x-correlation-id') });
  });

  it('takes the sender from the token, never from the body', async () => {
    expectError(await message('POST', messagesPath(conversationId), bob.accessToken, { content: 'hi', senderId: alice.userId }), 400, 'senderId');
    const answer = await send(bob, conversationId, 'from bob');
    expect(answer.body.senderId).toBe(bob.userId);
  });

  it('is idempotent per clientMessageId: a retry answers 200 with the first message, stored once', async () => {
    const clientMessageId = `retry-${randomUUID()}`;
    const first = await send(bob, conversationId, 'only once', clientMessageId);
    const again = await send(bob, conversationId, 'only once', clientMessageId);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual(first.body);
    const stored = (await storedItems(conversationId, 'MSG#')).filter((m) => m.clientMessageId === clientMessageId);
    expect(stored).toHaveLength(1);
    // The same clientMessageId from another sender is another message.
    const other = await send(alice, conversationId, 'only once', clientMessageId);
    expect(other.status).toBe(201);
    expect(other.body.messageId).not.toBe(first.body.messageId);
  });

  it('refuses to reuse a clientMessageId for different content (409)', async () => {
    const clientMessageId = `reuse-${randomUUID()}`;
    await sent(bob, conversationId, 'original', clientMessageId);
    expectError(await send(bob, conversationId, 'something else', clientMessageId), 409);
  });

  it('enforces the content rules: 1..4000 characters after trimming (413 beyond), no control characters', async () => {
    expect((await send(bob, conversationId, '🙂'.repeat(4000))).status).toBe(201); // 4000 characters, 16000 bytes
    expect((await send(bob, conversationId, 'line one\nline two\ttabbed')).body.content).toBe('line one\nline two\ttabbed');
    expectError(await send(bob, conversationId, 'x'.repeat(4001)), 413, 'content');
    expect((await send(bob, conversationId, `  ${'x'.repeat(4000)}\n`)).status).toBe(201); // counted after trimming
  });

  it('answers 401 without a valid token', async () => {
    expectError(await message('POST', messagesPath(conversationId), undefined, { content: 'hi' }), 401);
    expectError(await message('POST', messagesPath(conversationId), 'not-a-jwt', { content: 'hi' }), 401);
    expectError(await message('POST', messagesPath(conversationId), forged, { content: 'hi' }), 401);
  });

  it('answers 403 to a non-member and 404 for a conversation that does not exist', async () => {
    expectError(await send(mallory, conversationId, 'let me in'), 403);
    expectError(await send(alice, randomUUID(), 'anyone?'), 404);
    expect((await storedItems(conversationId, 'MSG#')).some((m) => m.senderId === mallory.userId)).toBe(false);
  });

  it('takes access away from a removed member at once', async () => {
    const dave = await user('Dave Leaving');
    const room = await conversationWith(alice, [{ user: dave }]);
    const kept = await sent(dave, room, 'still here');
    await removeMember(room, dave.userId);
    expectError(await send(dave, room, 'am I gone?'), 403);
    expectError(await message('GET', messagesPath(room), dave.accessToken), 403);
    expectError(await message('GET', messagesPath(room, `/${kept.messageId}`), dave.accessToken), 403);
    expectError(await message('PATCH', messagesPath(room, `/${kept.messageId}`), dave.accessToken, { content: 'edit' }), 403);
    expectError(await message('DELETE', messagesPath(room, `/${kept.messageId}`), dave.accessToken), 403);
    expectError(await message('POST', messagesPath(room, `/${kept.messageId}/read`), dave.accessToken), 403);
  });
});

describe('sendMessage: bad input never yields a 5xx', () => {
  const cases: { name: string; body?: unknown; rawBody?: string; status: number; field?: string }[] = [
    { name: 'no body', rawBody: undefined, status: 400 },
    { name: 'invalid JSON', rawBody: '{"content":', status: 400 },
    { name: 'JSON null', rawBody: 'null', status: 400 },
    { name: 'an array', body: [], status: 400 },
    { name: 'a string', body: 'hello', status: 400 },
    { name: 'an unknown field', body: { content: 'hi', extra: 1 }, status: 400, field: 'extra' },
    { name: 'content missing', body: {}, status: 400, field: 'content' },
    { name: 'content null', body: { content: null }, status: 400, field: 'content' },
    { name: 'content a number', body: { content: 42 }, status: 400, field: 'content' },
    { name: 'content an object', body: { content: { text: 'hi' } }, status: 400, field: 'content' },
    { name: 'content empty', body: { content: '' }, status: 400, field: 'content' },
    { name: 'content only whitespace', body: { content: ' \n\t ' }, status: 400, field: 'content' },
    { name: 'content with NUL', body: { content: 'a\u0000b' }, status: 400, field: 'content' },
    { name: 'content with ESC', body: { content: 'a\u001b[31mred' }, status: 400, field: 'content' },
    { name: 'content with a lone surrogate', rawBody: '{"content":"a\\ud800b"}', status: 400, field: 'content' },
    { name: 'content of 4001 characters', body: { content: 'y'.repeat(4001) }, status: 413, field: 'content' },
    { name: 'a body over 32 KiB', body: { content: 'z'.repeat(40_000) }, status: 413 },
    { name: 'clientMessageId empty', body: { content: 'hi', clientMessageId: '' }, status: 400, field: 'clientMessageId' },
    { name: 'clientMessageId with #', body: { content: 'hi', clientMessageId: 'a#b' }, status: 400, field: 'clientMessageId' },
    { name: 'clientMessageId with a space', body: { content: 'hi', clientMessageId: 'a b' }, status: 400, field: 'clientMessageId' },
    { name: 'clientMessageId of 129 characters', body: { content: 'hi', clientMessageId: 'c'.repeat(129) }, status: 400, field: 'clientMessageId' },
    { name: 'clientMessageId a number', body: { content: 'hi', clientMessageId: 7 }, status: 400, field: 'clientMessageId' },
  ];
  it.each(cases)('$name → $status', async ({ body, rawBody, status, field }) => {
    const before = (await conversationItem(conversationId))?.lastSeq;
    expectError(await message('POST', messagesPath(conversationId), bob.accessToken, body, rawBody), status, field);
    expect((await conversationItem(conversationId))?.lastSeq).toBe(before);
  });

  it('a conversationId that is not an id → 400', async () => {
    expectError(await message('POST', '/conversations/bad!id/messages', bob.accessToken, { content: 'hi' }), 400, 'conversationId');
    expectError(await message('POST', `/conversations/${'c'.repeat(129)}/messages`, bob.accessToken, { content: 'hi' }), 400, 'conversationId');
  });
});

describe('fetchMessage', () => {
  let room: string;
  let history: any[];
  beforeAll(async () => {
    room = await conversationWith(alice, [{ user: bob }]);
    history = [];
    for (let i = 1; i <= 7; i++) history.push(await sent(i % 2 ? alice : bob, room, `message ${i}`));
  });

  it('returns the newest first, with a cursor while more remain', async () => {
    const page = await message('GET', messagesPath(room, '?limit=3'), bob.accessToken);
    expect(page.status).toBe(200);
    expect(page.body.items.map((m: any) => m.seq)).toEqual([7, 6, 5]);
    expect(page.body.items[0]).toEqual(history[6]);
    const next = await message('GET', messagesPath(room, `?limit=3&before=${page.body.nextCursor}`), bob.accessToken);
    expect(next.body.items.map((m: any) => m.seq)).toEqual([4, 3, 2]);
    const last = await message('GET', messagesPath(room, `?limit=3&before=${next.body.nextCursor}`), bob.accessToken);
    expect(last.body.items.map((m: any) => m.seq)).toEqual([1]);
    expect(last.body.nextCursor).toBeUndefined();
  });

  it('defaults to 50 and allows at most 100', async () => {
    const all = await message('GET', messagesPath(room), bob.accessToken);
    expect(all.body.items).toHaveLength(7);
    expect(all.body.nextCursor).toBeUndefined();
    expect((await message('GET', messagesPath(room, '?limit=100'), bob.accessToken)).status).toBe(200);
  });

  it('after=<seq> returns what came later, oldest first', async () => {
    const later = await message('GET', messagesPath(room, '?after=4'), bob.accessToken);
    expect(later.body.items.map((m: any) => m.seq)).toEqual([5, 6, 7]);
    expect(later.body.nextCursor).toBeUndefined();
    const paged = await message('GET', messagesPath(room, '?after=2&limit=2'), bob.accessToken);
    expect(paged.body.items.map((m: any) => m.seq)).toEqual([3, 4]);
    expect(paged.body.nextCursor).toBe('4');
    expect((await message('GET', messagesPath(room, '?after=7'), bob.accessToken)).body).toEqual({ items: [] });
  });

  it('shows deleted messages as tombstones without content', async () => {
    expect((await message('DELETE', messagesPath(room, `/${history[2].messageId}`), alice.accessToken)).status).toBe(200);
    const page = await message('GET', messagesPath(room, '?after=2&limit=1'), bob.accessToken);
    expect(page.body.items[0]).toEqual({ ...history[2], content: null, deleted: true, deletedAt: expect.any(String) });
  });

  const bad: [string, string][] = [
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2.5', 'limit'],
    ['before=not-a-cursor', 'before'],
    ['before=<3000 characters>', 'before'],
    ['after=-1', 'after'],
    ['after=abc', 'after'],
    ['after=1e3', 'after'],
    ['after=1&before=bTE6NQ', 'after'],
    ['sort=asc', 'sort'],
  ];
  it.each(bad)('?%s → 400 naming %s', async (query, field) => {
    const q = query.replace('<3000 characters>', 'x'.repeat(3000));
    expectError(await message('GET', messagesPath(room, `?${q}`), bob.accessToken), 400, field);
  });

  it('answers 401, 403 and 404', async () => {
    expectError(await message('GET', messagesPath(room)), 401);
    expectError(await message('GET', messagesPath(room), forged), 401);
    expectError(await message('GET', messagesPath(room), mallory.accessToken), 403);
    expectError(await message('GET', messagesPath(randomUUID()), bob.accessToken), 404);
    expectError(await message('GET', '/conversations/bad!id/messages', bob.accessToken), 400, 'conversationId');
  });
});

describe('getMessage', () => {
  it('returns one message to members', async () => {
    const m = await sent(alice, conversationId, 'look me up');
    const answer = await message('GET', messagesPath(conversationId, `/${m.messageId}`), bob.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(m);
  });

  it('answers 401, 403, 404 and 400', async () => {
    const m = await sent(alice, conversationId, 'private');
    const path = messagesPath(conversationId, `/${m.messageId}`);
    expectError(await message('GET', path), 401);
    expectError(await message('GET', path, mallory.accessToken), 403);
    expectError(await message('GET', messagesPath(conversationId, `/${randomUUID()}`), bob.accessToken), 404);
    expectError(await message('GET', messagesPath(randomUUID(), `/${m.messageId}`), bob.accessToken), 404);
    // A message id from another conversation is not found here.
    const elsewhere = await conversationWith(bob);
    expectError(await message('GET', messagesPath(elsewhere, `/${m.messageId}`), bob.accessToken), 404);
    expectError(await message('GET', messagesPath(conversationId, '/bad!id'), bob.accessToken), 400, 'messageId');
  });
});

describe('editMessage', () => {
  it('lets the author replace the content, keeping editedAt; the preview follows; message.edited is published', async () => {
    const m = await sent(bob, conversationId, 'helo');
    const answer = await message('PATCH', messagesPath(conversationId, `/${m.messageId}`), bob.accessToken, { content: ' hello ' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ...m, content: 'hello', editedAt: expect.any(String) });
    expect((await message('GET', messagesPath(conversationId, `/${m.messageId}`), alice.accessToken)).body).toEqual(answer.body);
    expect((await conversationItem(conversationId))?.lastMessage).toMatchObject({ messageId: m.messageId, preview: 'hello' });
    const event = await capture.waitFor((e) => e.type === 'message.edited' && e.data.messageId === m.messageId, 'message.edited');
    expect(event.data).toEqual(answer.body);
  });

  it('refuses anyone but the author (403), even an owner', async () => {
    const m = await sent(bob, conversationId, 'mine');
    expectError(await message('PATCH', messagesPath(conversationId, `/${m.messageId}`), alice.accessToken, { content: 'theirs' }), 403);
    expectError(await message('PATCH', messagesPath(conversationId, `/${m.messageId}`), mallory.accessToken, { content: 'theirs' }), 403);
    expect((await message('GET', messagesPath(conversationId, `/${m.messageId}`), bob.accessToken)).body.content).toBe('mine');
  });

  it('refuses to edit a deleted message (409)', async () => {
    const m = await sent(bob, conversationId, 'soon gone');
    await message('DELETE', messagesPath(conversationId, `/${m.messageId}`), bob.accessToken);
    expectError(await message('PATCH', messagesPath(conversationId, `/${m.messageId}`), bob.accessToken, { content: 'back' }), 409);
  });

  it('applies the content rules and validates every field', async () => {
    const m = await sent(bob, conversationId, 'to be edited');
    const path = messagesPath(conversationId, `/${m.messageId}`);
    expectError(await message('PATCH', path, bob.accessToken, { content: '   ' }), 400, 'content');
    expectError(await message('PATCH', path, bob.accessToken, { content: 'a\u0007' }), 400, 'content');
    expectError(await message('PATCH', path, bob.accessToken, { content: 7 }), 400, 'content');
    expectError(await message('PATCH', path, bob.accessToken, {}), 400, 'content');
    expectError(await message('PATCH', path, bob.accessToken, { content: 'ok', clientMessageId: 'x' }), 400, 'clientMessageId');
    expectError(await message('PATCH', path, bob.accessToken, { content: 'x'.repeat(4001) }), 413, 'content');
    expectError(await message('PATCH', path, bob.accessToken, undefined, '{'), 400);
    expectError(await message('PATCH', path, bob.accessToken, { content: 'ok'.repeat(20_000) }), 413);
    expectError(await message('PATCH', path), 401);
    expectError(await message('PATCH', messagesPath(conversationId, `/${randomUUID()}`), bob.accessToken, { content: 'x' }), 404);
    expectError(await message('PATCH', messagesPath(randomUUID(), `/${m.messageId}`), bob.accessToken, { content: 'x' }), 404);
    expect((await message('GET', path, bob.accessToken)).body).toEqual(m);
  });
});

describe('deleteMessage', () => {
  it('lets the author delete: a tombstone stays, the content is gone, message.deleted is published', async () => {
    const m = await sent(bob, conversationId, 'delete me');
    const answer = await message('DELETE', messagesPath(conversationId, `/${m.messageId}`), bob.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ...m, content: null, deleted: true, deletedAt: expect.any(String) });
    const stored = (await storedItems(conversationId, 'MSG#')).find((i) => i.messageId === m.messageId);
    expect(stored?.content).toBeUndefined();
    const event = await capture.waitFor((e) => e.type === 'message.deleted' && e.data.messageId === m.messageId, 'message.deleted');
    expect(event.data).toMatchObject({ messageId: m.messageId, seq: m.seq, deletedBy: bob.userId });
  });

  it('is idempotent: deleting again answers 200 with the same tombstone and publishes nothing new', async () => {
    const m = await sent(bob, conversationId, 'twice');
    const first = await message('DELETE', messagesPath(conversationId, `/${m.messageId}`), bob.accessToken);
    await capture.waitFor((e) => e.type === 'message.deleted' && e.data.messageId === m.messageId, 'message.deleted');
    const second = await message('DELETE', messagesPath(conversationId, `/${m.messageId}`), bob.accessToken);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    // A marker event after the second delete: once it arrives, anything the delete published would have too.
    const marker = await sent(alice, conversationId, 'marker');
    await capture.waitFor((e) => e.data.messageId === marker.messageId, 'marker');
    expect(capture.events.filter((e) => e.type === 'message.deleted' && e.data.messageId === m.messageId)).toHaveLength(1);
  });

  it('lets an owner or admin delete anyone’s message, but not another member (403)', async () => {
    const [a, b, c] = [await sent(bob, conversationId, 'one'), await sent(bob, conversationId, 'two'), await sent(carol, conversationId, 'three')];
    expectError(await message('DELETE', messagesPath(conversationId, `/${c.messageId}`), bob.accessToken), 403);
    expectError(await message('DELETE', messagesPath(conversationId, `/${a.messageId}`), mallory.accessToken), 403);
    expect((await message('GET', messagesPath(conversationId, `/${c.messageId}`), bob.accessToken)).body.content).toBe('three');
    expect((await message('DELETE', messagesPath(conversationId, `/${a.messageId}`), alice.accessToken)).status).toBe(200);
    expect((await message('DELETE', messagesPath(conversationId, `/${b.messageId}`), carol.accessToken)).status).toBe(200);
  });

  it('answers 401 and 404', async () => {
    const m = await sent(bob, conversationId, 'x');
    expectError(await message('DELETE', messagesPath(conversationId, `/${m.messageId}`)), 401);
    expectError(await message('DELETE', messagesPath(conversationId, `/${randomUUID()}`), bob.accessToken), 404);
    expectError(await message('DELETE', messagesPath(randomUUID(), `/${m.messageId}`), bob.accessToken), 404);
    expectError(await message('DELETE', messagesPath(conversationId, '/bad!id'), bob.accessToken), 400, 'messageId');
  });

  it('moves the preview to the newest message still visible when the shown one is deleted', async () => {
    const room = await conversationWith(alice, [{ user: bob }]);
    const first = await sent(alice, room, 'first');
    const second = await sent(bob, room, 'second');
    await message('DELETE', messagesPath(room, `/${second.messageId}`), bob.accessToken);
    const after = await conversationItem(room);
    expect(after?.lastMessage).toMatchObject({ messageId: first.messageId, seq: 1, preview: 'first' });
    expect(after?.lastSeq).toBe(2);
    await message('DELETE', messagesPath(room, `/${first.messageId}`), alice.accessToken);
    expect((await conversationItem(room))?.lastMessage).toBeUndefined();
    // The next message numbers on: seqs are never reused.
    expect((await sent(alice, room, 'third')).seq).toBe(3);
  });
});

describe('updateMessage (read state)', () => {
  it('records how far the caller has read, never backwards, and publishes message.read when it moves', async () => {
    const room = await conversationWith(alice, [{ user: bob }]);
    const ms = [await sent(alice, room, 'a'), await sent(alice, room, 'b'), await sent(alice, room, 'c')];
    const read = await message('POST', messagesPath(room, `/${ms[1].messageId}/read`), bob.accessToken);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ conversationId: room, userId: bob.userId, lastReadSeq: 2, lastReadAt: expect.any(String) });
    expect(await memberItem(room, bob.userId)).toMatchObject({ lastReadSeq: 2 });
    const event = await capture.waitFor((e) => e.type === 'message.read' && e.conversationId === room, 'message.read');
    expect(event.data).toMatchObject({ userId: bob.userId, messageId: ms[1].messageId, lastReadSeq: 2 });

    const backwards = await message('POST', messagesPath(room, `/${ms[0].messageId}/read`), bob.accessToken);
    expect(backwards.status).toBe(200);
    expect(backwards.body).toEqual(read.body);
    expect(await memberItem(room, bob.userId)).toMatchObject({ lastReadSeq: 2 });

    expect((await message('POST', messagesPath(room, `/${ms[2].messageId}/read`), bob.accessToken)).body.lastReadSeq).toBe(3);
    const marker = await sent(alice, room, 'marker');
    await capture.waitFor((e) => e.data.messageId === marker.messageId, 'marker');
    expect(capture.events.filter((e) => e.type === 'message.read' && e.conversationId === room).map((e) => e.data.lastReadSeq)).toEqual([2, 3]);
  });

  it('answers 401, 403, 404 and 400', async () => {
    const m = await sent(alice, conversationId, 'read me');
    const path = messagesPath(conversationId, `/${m.messageId}/read`);
    expectError(await message('POST', path), 401);
    expectError(await message('POST', path, mallory.accessToken), 403);
    expectError(await message('POST', messagesPath(conversationId, `/${randomUUID()}/read`), bob.accessToken), 404);
    expectError(await message('POST', messagesPath(randomUUID(), `/${m.messageId}/read`), bob.accessToken), 404);
    expectError(await message('POST', messagesPath(conversationId, '/bad!id/read'), bob.accessToken), 400, 'messageId');
    expect(await memberItem(conversationId, mallory.userId)).toBeUndefined();
  });
});
