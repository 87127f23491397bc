import { randomUUID } from 'node:crypto';
import type { HttpAnswer, TestUser } from '../../../test/support/http';
import { closeDb, conversationItem, conversationWith, isMessage, message, messagesPath, sendWithRetry, storedItems, user, warmUpSendMessage } from './support';

afterAll(() => closeDb());

const CLIENTS = 10;
const PER_CLIENT = 50;

/**
 * What the clients had to retry. On an idle machine this is nothing; on a shared 2-core one the
 * emulator can time out and a conversation this hot can answer 409 "busy, retry". Both are retried
 * with the same clientMessageId, as the contract tells clients to, and the guarantees below must
 * hold regardless: that is the point of the idempotency key.
 */
function report(what: string, r: { timeouts: number; busy: number }): void {
  if (r.timeouts || r.busy) process.stdout.write(`${what}: clients retried ${r.timeouts} emulator timeout(s) and ${r.busy} "busy, retry" answer(s)\n`);
}

describe('sendMessage under concurrency', () => {
  it(`${CLIENTS} clients sending ${PER_CLIENT} messages each at once get seq 1..${CLIENTS * PER_CLIENT}, no duplicates, none missing`, async () => {
    const clients: TestUser[] = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await user(`Sender ${String.fromCharCode(65 + i)}`));
    const conversationId = await conversationWith(clients[0]!, clients.slice(1).map((u) => ({ user: u })));
    await warmUpSendMessage(clients, CLIENTS);

    const retried = { timeouts: 0, busy: 0 };
    const answers = await Promise.all(
      clients.map(async (client, c) => {
        const mine: (HttpAnswer & { retries: number })[] = [];
        for (let i = 0; i < PER_CLIENT; i++) {
          const { answer, retries, timeouts, busy } = await sendWithRetry(client, conversationId, `client ${c} message ${i}`, `c${c}-m${i}`);
          retried.timeouts += timeouts;
          retried.busy += busy;
          mine.push({ ...answer, retries });
        }
        return mine;
      }),
    );
    report('10 × 50 sends', retried);

    const total = CLIENTS * PER_CLIENT;
    const all = answers.flat();
    // Every send ends with its message; one that needed no retry is a plain 201.
    expect(all.filter((a) => !isMessage(a)).map((a) => a.body)).toEqual([]);
    expect(all.filter((a) => a.retries === 0 && a.status !== 201)).toEqual([]);

    const expected = Array.from({ length: total }, (_, i) => i + 1);
    const stored = await storedItems(conversationId, 'MSG#');
    expect(stored.map((m) => m.seq).sort((a, b) => a - b)).toEqual(expected);
    expect(new Set(stored.map((m) => m.messageId)).size).toBe(total);
    expect(new Set(stored.map((m) => m.content)).size).toBe(total);
    expect(all.map((a) => a.body.seq).sort((a, b) => a - b)).toEqual(expected);
    // Each client's messages are stored in the order it sent them.
    for (const mine of answers) {
      const seqs = mine.map((a) => a.body.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(await conversationItem(conversationId)).toMatchObject({ lastSeq: total, lastMessage: { seq: total } });
  }, 900_000);

  it('a retry storm (the same clientMessageId 20 times at once) stores one message', async () => {
    const [sender, other] = [await user('Storm Sender'), await user('Storm Other')];
    const conversationId = await conversationWith(sender, [{ user: other }]);
    await warmUpSendMessage([sender, other], 25);
    const clientMessageId = `storm-${randomUUID()}`;
    // Someone else keeps sending meanwhile, so the storm also races for the seq.
    const [storm, background] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => sendWithRetry(sender, conversationId, 'are you there?', clientMessageId))),
      Promise.all(Array.from({ length: 5 }, (_, i) => sendWithRetry(other, conversationId, `background ${i}`, `bg-${i}`))),
    ]);
    report('retry storm', {
      timeouts: [...storm, ...background].reduce((n, r) => n + r.timeouts, 0),
      busy: [...storm, ...background].reduce((n, r) => n + r.busy, 0),
    });
    expect(storm.every((r) => isMessage(r.answer))).toBe(true);
    expect(new Set(storm.map((r) => r.answer.body.messageId)).size).toBe(1);
    // One creates it (201), the rest get it back (200). A 201 can only go missing when the
    // emulator timed out on exactly the call that created it.
    const created = storm.filter((r) => r.answer.status === 201).length;
    expect(created).toBeLessThanOrEqual(1);
    if (storm.every((r) => r.timeouts === 0)) expect(created).toBe(1);
    expect(background.every((r) => isMessage(r.answer))).toBe(true);

    const stored = await storedItems(conversationId, 'MSG#');
    expect(stored.filter((m) => m.clientMessageId === clientMessageId)).toHaveLength(1);
    expect(stored.map((m) => m.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await storedItems(conversationId, 'CMID#')).filter((k) => k.sk.endsWith(clientMessageId))).toHaveLength(1);
    const page = await message('GET', messagesPath(conversationId), other.accessToken);
    expect(page.body.items.filter((m: any) => m.clientMessageId === clientMessageId)).toHaveLength(1);
  }, 300_000);
});
