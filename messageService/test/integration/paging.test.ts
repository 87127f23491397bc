import type { TestUser } from '../../../test/support/http';
import { closeDb, conversationWith, isMessage, message, messagesPath, sendWithRetry, user, warmUpSendMessage } from './support';

const TOTAL = 237;
let reader: TestUser;
let conversationId: string;

beforeAll(async () => {
  const [writer, other] = [await user('Paging Writer'), await user('Paging Reader')];
  reader = other;
  conversationId = await conversationWith(writer, [{ user: reader }]);
  await warmUpSendMessage([writer, reader], 4);
  // Four writers at a time keep this quick; seq, not arrival, decides the order.
  for (let i = 0; i < TOTAL; i += 4) {
    const batch = Array.from({ length: Math.min(4, TOTAL - i) }, (_, k) => i + k);
    const answers = await Promise.all(batch.map((n) => sendWithRetry(n % 2 ? reader : writer, conversationId, `page test ${n}`, `p${n}`)));
    if (!answers.every((a) => isMessage(a.answer))) throw new Error(`seeding failed: ${JSON.stringify(answers.map((a) => a.answer.status))}`);
  }
}, 600_000);

afterAll(() => closeDb());

async function walkBefore(limit?: number): Promise<{ seqs: number[]; pages: number; ids: string[] }> {
  const seqs: number[] = [];
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const query = new URLSearchParams({ ...(limit ? { limit: String(limit) } : {}), ...(cursor ? { before: cursor } : {}) });
    const page = await message('GET', messagesPath(conversationId, `?${query}`), reader.accessToken);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit ?? 50);
    seqs.push(...page.body.items.map((m: any) => m.seq));
    ids.push(...page.body.items.map((m: any) => m.messageId));
    cursor = page.body.nextCursor;
    pages++;
    if (pages > TOTAL + 1) throw new Error('cursor does not advance');
  } while (cursor);
  return { seqs, pages, ids };
}

const newestFirst = Array.from({ length: TOTAL }, (_, i) => TOTAL - i);

describe('fetchMessage paging', () => {
  it.each([[undefined], [1], [7], [50], [100]])(`walking before cursors (limit %s) returns each of ${TOTAL} messages exactly once, newest first`, async (limit) => {
    const { seqs, pages, ids } = await walkBefore(limit);
    expect(seqs).toEqual(newestFirst);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(pages).toBe(Math.ceil(TOTAL / (limit ?? 50)));
  }, 300_000);

  it('keeps a cursor valid while new messages arrive: the walk goes on from where it was', async () => {
    const first = await message('GET', messagesPath(conversationId, '?limit=10'), reader.accessToken);
    const newer = await sendWithRetry(reader, conversationId, 'arrived during paging', 'p-late');
    expect(newer.answer.body.seq).toBe(TOTAL + 1);
    const second = await message('GET', messagesPath(conversationId, `?limit=10&before=${first.body.nextCursor}`), reader.accessToken);
    expect(second.body.items.map((m: any) => m.seq)).toEqual(newestFirst.slice(10, 20));
  });

  it.each([0, 1, 100, 199, TOTAL - 1, TOTAL + 1, TOTAL + 50])('after=%s returns exactly the later messages, oldest first', async (after) => {
    const newest = await message('GET', messagesPath(conversationId, '?limit=1'), reader.accessToken);
    const last: number = newest.body.items[0].seq;
    const seqs: number[] = [];
    let cursor: string | undefined = String(after);
    for (let pages = 0; cursor !== undefined; pages++) {
      const page = await message('GET', messagesPath(conversationId, `?after=${cursor}&limit=60`), reader.accessToken);
      expect(page.status).toBe(200);
      seqs.push(...page.body.items.map((m: any) => m.seq));
      cursor = page.body.nextCursor;
      if (pages > TOTAL) throw new Error('cursor does not advance');
    }
    expect(seqs).toEqual(Array.from({ length: Math.max(0, last - after) }, (_, i) => after + 1 + i));
  }, 120_000);
});
