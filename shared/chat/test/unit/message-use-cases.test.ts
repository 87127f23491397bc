import { AppError } from '@shared/platform';
import { MessageUseCases, type Message } from '@shared/chat/messages';
import { RecordingMetrics } from '../../../platform/test/fakes';
import { RecordingPublisher } from '../fakes';
import { MemoryMessageStore } from './support/memory-message-store';

const C = 'conv-1';

function setup(options: ConstructorParameters<typeof MessageUseCases>[4] = {}) {
  const store = new MemoryMessageStore();
  store.addConversation(C, [
    ['owner', 'owner'],
    ['admin', 'admin'],
    ['alice', 'member'],
    ['bob', 'member'],
  ]);
  const events = new RecordingPublisher();
  const metrics = new RecordingMetrics();
  let ids = 0;
  const sleeps: number[] = [];
  const messages = new MessageUseCases(store, store, events, metrics, {
    newId: () => `m${++ids}`,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
  return { store, events, metrics, messages, sleeps };
}

const send = (messages: MessageUseCases, senderId: string, content: string, clientMessageId?: string) =>
  messages.send({ conversationId: C, senderId, content, clientMessageId, correlationId: 'corr' });

async function rejects(promise: Promise<unknown>, status: number, field?: string): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
  if (field) expect((err as AppError).field).toBe(field);
  return err as AppError;
}

describe('send', () => {
  it('numbers messages 1, 2, 3 and publishes message.created after each write', async () => {
    const { messages, events, store } = setup();
    const seqs: number[] = [];
    for (const text of ['a', 'b', 'c']) seqs.push((await send(messages, 'alice', text)).message.seq);
    expect(seqs).toEqual([1, 2, 3]);
    expect(events.published.map((e) => [e.type, e.data.seq, e.correlationId])).toEqual([
      ['message.created', 1, 'corr'],
      ['message.created', 2, 'corr'],
      ['message.created', 3, 'corr'],
    ]);
    expect(store.conversations.get(C)).toMatchObject({ lastSeq: 3, lastMessage: { seq: 3, preview: 'c', senderId: 'alice' } });
  });

  it('retries with backoff when other sends take the seq, and lands on the next free one', async () => {
    const { messages, store, metrics, sleeps } = setup();
    store.loseNextAppends = 3;
    const { message, created } = await send(messages, 'alice', 'hello');
    expect(created).toBe(true);
    expect(message.seq).toBe(4);
    expect(metrics.counts.MessageSendRetries).toBe(3);
    expect(sleeps).toHaveLength(3);
    expect(sleeps).toEqual([10, 20, 40]); // random() = 0.5 of a 10 ms × 2^attempt window
  });

  it('gives up with 409 after the bounded number of attempts', async () => {
    const { messages, store } = setup({ maxSendAttempts: 5 });
    store.loseNextAppends = 5;
    const err = await rejects(send(messages, 'alice', 'hello'), 409);
    expect(err.message).toMatch(/busy.*retry/i);
  });

  it('gives up with 409 when its time budget is spent', async () => {
    let now = 0;
    const { messages, store } = setup({ sendBudgetMs: 1000, clock: () => new Date(now), sleep: async () => void (now += 400) });
    store.loseNextAppends = 10;
    await rejects(send(messages, 'alice', 'hello'), 409);
    expect(store.loseNextAppends).toBe(7); // three attempts fit into one second of backoff
  });

  it('returns the first message for a repeated clientMessageId, and 409 for other content under it', async () => {
    const { messages, events } = setup();
    const first = await send(messages, 'alice', ' hi ', 'c1');
    const again = await send(messages, 'alice', 'hi', 'c1');
    expect(first.created).toBe(true);
    expect(again).toEqual({ message: first.message, created: false });
    expect(events.published).toHaveLength(1);
    await rejects(send(messages, 'alice', 'something else', 'c1'), 409);
    expect((await send(messages, 'bob', 'hi', 'c1')).created).toBe(true);
  });

  it('refuses non-members (403) and unknown conversations (404)', async () => {
    const { messages } = setup();
    await rejects(send(messages, 'mallory', 'hi'), 403);
    await rejects(messages.send({ conversationId: 'nope', senderId: 'alice', content: 'hi', correlationId: 'c' }), 404);
  });

  it.each([
    ['empty', '', 400],
    ['only whitespace', '   \n ', 400],
    ['NUL', 'a\u0000b', 400],
    ['BEL', 'bell\u0007', 400],
    ['DEL', 'a\u007f', 400],
    ['a C1 control', 'c1 control \u0085', 400],
    ['a lone surrogate', 'lone \ud800 surrogate', 400],
    ['4001 characters', 'x'.repeat(4001), 413],
    ['4001 emoji', '😀'.repeat(4001), 413],
  ])('refuses content with %s (%#) naming the field', async (_label, content, status) => {
    const { messages, store } = setup();
    await rejects(send(messages, 'alice', content), status, 'content');
    expect(store.conversations.get(C)!.lastSeq).toBe(0);
  });

  it.each([
    ['4000 characters', 'x'.repeat(4000)],
    ['4000 emoji (16000 bytes)', '😀'.repeat(4000)],
    ['tabs and line breaks', 'tab\tand\nnewline\r\n'],
    ['non-Latin scripts', 'é ü 中文 العربية'],
  ])('accepts content with %s', async (_label, content) => {
    const { messages } = setup();
    expect((await send(messages, 'alice', content)).message.content).toBe(content.trim());
  });

  it('keeps a short preview, cut on a character boundary', async () => {
    const { messages, store } = setup();
    await send(messages, 'alice', '😀'.repeat(300));
    const preview = store.conversations.get(C)!.lastMessage!.preview;
    expect([...preview]).toHaveLength(200);
    expect(preview.endsWith('…')).toBe(true);
    expect(preview).not.toMatch(/\p{Cs}/u);
  });
});

describe('failed publishes', () => {
  it('keep the write, count the failure, keep the event and deliver it, in order, before the next one', async () => {
    const { messages, events, metrics, store } = setup();
    events.failing = true;
    const m1 = await send(messages, 'alice', 'one');
    const edited = await messages.edit({ conversationId: C, userId: 'alice', messageId: m1.message.messageId, content: 'one!', correlationId: 'corr' });
    expect(store.messages.get(`${C}|1`)?.content).toBe('one!');
    expect(metrics.counts.EventPublishFailures).toBeGreaterThanOrEqual(2);
    expect([...store.outbox.values()].map((u) => u.event.type)).toEqual(['message.created', 'message.edited']);
    expect(store.conversations.get(C)!.pendingEvents).toBe(2);

    events.failing = false;
    const m2 = await send(messages, 'bob', 'two');
    expect(events.published.map((e) => [e.type, e.data.messageId ?? e.data.seq])).toEqual([
      ['message.created', m1.message.messageId],
      ['message.edited', m1.message.messageId],
      ['message.created', m2.message.messageId],
    ]);
    expect(events.published[1]!.data).toEqual(edited);
    expect(store.outbox.size).toBe(0);
    expect(store.conversations.get(C)!.pendingEvents).toBe(0);
    expect(metrics.counts.EventsRedelivered).toBe(2);
  });

  it('never fail the request, even when the outbox cannot be written either', async () => {
    const { messages, events, store } = setup();
    events.failing = true;
    store.failSaveUndelivered = true;
    expect((await send(messages, 'alice', 'still stored')).created).toBe(true);
    expect(store.messages.size).toBe(1);
  });

  it('stay in the outbox while SNS keeps failing', async () => {
    const { messages, events, store } = setup();
    events.failing = true;
    await send(messages, 'alice', 'one');
    await send(messages, 'alice', 'two');
    expect(store.outbox.size).toBe(2);
    expect(store.conversations.get(C)!.pendingEvents).toBe(2);
  });
});

describe('fetch', () => {
  it('pages newest first with before cursors and catches up oldest first with after', async () => {
    const { messages } = setup();
    for (let i = 1; i <= 5; i++) await send(messages, 'alice', `m${i}`);
    const p1 = await messages.fetch(C, 'bob', { limit: 2 });
    expect(p1.items.map((m) => m.seq)).toEqual([5, 4]);
    const p2 = await messages.fetch(C, 'bob', { limit: 2, before: p1.nextCursor });
    const p3 = await messages.fetch(C, 'bob', { limit: 2, before: p2.nextCursor });
    expect([p2.items.map((m) => m.seq), p3.items.map((m) => m.seq), p3.nextCursor]).toEqual([[3, 2], [1], undefined]);
    const after = await messages.fetch(C, 'bob', { after: 2, limit: 2 });
    expect([after.items.map((m) => m.seq), after.nextCursor]).toEqual([[3, 4], '4']);
    expect((await messages.fetch(C, 'bob', { after: 4, limit: 2 })).nextCursor).toBeUndefined();
  });

  it('refuses a cursor it did not issue (400 before), non-members (403) and unknown conversations (404)', async () => {
    const { messages } = setup();
    await rejects(messages.fetch(C, 'bob', { before: 'garbage' }), 400, 'before');
    await rejects(messages.fetch(C, 'bob', { before: Buffer.from('m1:0').toString('base64url') }), 400, 'before');
    await rejects(messages.fetch(C, 'mallory'), 403);
    await rejects(messages.fetch('nope', 'bob'), 404);
  });
});

describe('edit', () => {
  it('only by the author, not once deleted; the preview follows an edit of the shown message', async () => {
    const { messages, store } = setup();
    const { message } = await send(messages, 'alice', 'helo');
    const input = { conversationId: C, messageId: message.messageId, content: 'hello', correlationId: 'c' };
    await rejects(messages.edit({ ...input, userId: 'owner' }), 403);
    const edited = await messages.edit({ ...input, userId: 'alice' });
    expect(edited).toMatchObject({ content: 'hello', editedAt: expect.any(String) });
    expect(store.conversations.get(C)!.lastMessage).toMatchObject({ preview: 'hello', version: 2 });
    await messages.delete({ conversationId: C, messageId: message.messageId, userId: 'alice', correlationId: 'c' });
    await rejects(messages.edit({ ...input, userId: 'alice' }), 409);
    await rejects(messages.edit({ ...input, messageId: 'missing', userId: 'alice' }), 404);
  });

  it('reads again when the message changed between read and write', async () => {
    const { messages, store } = setup();
    const { message } = await send(messages, 'alice', 'v1');
    let raced = false;
    store.beforeChange = (m) => {
      if (raced) return;
      raced = true;
      store.messages.get(`${C}|${m.seq}`)!.version++; // someone else's edit landed first
    };
    expect((await messages.edit({ conversationId: C, userId: 'alice', messageId: message.messageId, content: 'v2', correlationId: 'c' })).content).toBe('v2');
  });

  it('answers 409 when the message is deleted between read and write', async () => {
    const { messages, store } = setup();
    const { message } = await send(messages, 'alice', 'v1');
    store.beforeChange = (m) => Object.assign(store.messages.get(`${C}|${m.seq}`)!, { deleted: true, version: m.version + 1 });
    await rejects(messages.edit({ conversationId: C, userId: 'alice', messageId: message.messageId, content: 'v2', correlationId: 'c' }), 409);
  });
});

describe('delete', () => {
  it('by the author or an owner/admin; twice answers the same tombstone and publishes once', async () => {
    const { messages, events } = setup();
    const a = (await send(messages, 'alice', 'a')).message;
    const b = (await send(messages, 'alice', 'b')).message;
    const input = (messageId: string, userId: string) => ({ conversationId: C, messageId, userId, correlationId: 'c' });
    await rejects(messages.delete(input(a.messageId, 'bob')), 403);
    await rejects(messages.delete(input(a.messageId, 'mallory')), 403);
    const tombstone = await messages.delete(input(a.messageId, 'admin'));
    expect(tombstone).toEqual({ ...a, content: null, deleted: true, deletedAt: expect.any(String) });
    expect(await messages.delete(input(a.messageId, 'alice'))).toEqual(tombstone);
    expect(await messages.delete(input(b.messageId, 'owner'))).toMatchObject({ deleted: true });
    expect(events.published.filter((e) => e.type === 'message.deleted').map((e) => e.data.deletedBy)).toEqual(['admin', 'owner']);
  });

  it('moves the preview to the newest visible message, or removes it when none is left', async () => {
    const { messages, store } = setup();
    const ms: Message[] = [];
    for (const t of ['one', 'two', 'three']) ms.push((await send(messages, 'alice', t)).message);
    const del = (i: number) => messages.delete({ conversationId: C, messageId: ms[i]!.messageId, userId: 'alice', correlationId: 'c' });
    await del(1); // not the shown one
    expect(store.conversations.get(C)!.lastMessage?.preview).toBe('three');
    await del(2);
    expect(store.conversations.get(C)!.lastMessage).toMatchObject({ seq: 1, preview: 'one' });
    await del(0);
    expect(store.conversations.get(C)!.lastMessage).toBeUndefined();
    expect(store.conversations.get(C)!.lastSeq).toBe(3);
  });

  it('re-checks the role inside the write: a demoted admin cannot delete', async () => {
    const { messages, store } = setup();
    const { message } = await send(messages, 'alice', 'x');
    store.beforeChange = () => (store.members.get(`${C}|admin`)!.role = 'member');
    await rejects(messages.delete({ conversationId: C, messageId: message.messageId, userId: 'admin', correlationId: 'c' }), 403);
    expect(store.messages.get(`${C}|1`)!.deleted).toBeUndefined();
  });
});

describe('markRead', () => {
  it('moves forward only, publishing message.read when it moves', async () => {
    const { messages, events } = setup();
    const ms: Message[] = [];
    for (const t of ['a', 'b', 'c']) ms.push((await send(messages, 'alice', t)).message);
    const read = (i: number) => messages.markRead({ conversationId: C, userId: 'bob', messageId: ms[i]!.messageId, correlationId: 'c' });
    expect((await read(1)).lastReadSeq).toBe(2);
    expect((await read(0)).lastReadSeq).toBe(2);
    expect((await read(2)).lastReadSeq).toBe(3);
    expect(events.published.filter((e) => e.type === 'message.read').map((e) => e.data.lastReadSeq)).toEqual([2, 3]);
    await rejects(messages.markRead({ conversationId: C, userId: 'mallory', messageId: ms[0]!.messageId, correlationId: 'c' }), 403);
    await rejects(messages.markRead({ conversationId: C, userId: 'bob', messageId: 'missing', correlationId: 'c' }), 404);
  });
});
