import { expectError } from '../../../test/support/http';
import { allConversations, connect, group, users } from './support';

describe('connectService: getConversations pagination', () => {
  it('returns each of 55 conversations exactly once over pages of 10, newest activity first', async () => {
    const [pat, friend] = await users('Pat Pager', 'Fran Friend');
    const created: string[] = [];
    // Five at a time, so several share a creation millisecond and the id tie-break is exercised too.
    for (let i = 0; i < 55; i += 5) {
      const batch = Array.from({ length: Math.min(5, 55 - i) }, (_, j) => group(pat!, j % 2 ? [friend!] : [], `Page test ${i + j}`));
      created.push(...(await Promise.all(batch)));
    }

    const { items, pages } = await allConversations(pat!, 10);
    expect(pages).toBe(6);
    const ids = items.map((c) => c.conversationId);
    expect(ids).toHaveLength(55);
    expect(new Set(ids).size).toBe(55);
    expect([...ids].sort()).toEqual([...created].sort());
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]];
      expect(a.lastActivityAt > b.lastActivityAt || (a.lastActivityAt === b.lastActivityAt && a.conversationId < b.conversationId)).toBe(true);
    }

    const { items: friendItems } = await allConversations(friend!, 7);
    expect(friendItems.map((c) => c.conversationId).sort()).toEqual(created.filter((_, i) => i % 5 % 2 === 1).sort());
  });

  it('refuses a tampered or foreign cursor with 400 naming the field', async () => {
    const [pat] = await users('Tam Tamper');
    await group(pat!, [], 'One');
    await group(pat!, [], 'Two');
    const first = await connect('GET', '/conversations?limit=1', pat!);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const cursor: string = first.body.nextCursor;
    const forged = Buffer.from(JSON.stringify({ t: 'not a time', c: 'x' })).toString('base64url');
    const extra = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(cursor, 'base64url').toString()), admin: true })).toString('base64url');
    for (const bad of [`${cursor.slice(0, -3)}`, `${cursor}$$`, forged, extra, 'bm90IGpzb24', 'x'.repeat(3000)]) {
      expectError(await connect('GET', `/conversations?limit=1&cursor=${encodeURIComponent(bad)}`, pat!), 400, 'cursor');
    }
    const second = await connect('GET', `/conversations?limit=1&cursor=${encodeURIComponent(cursor)}`, pat!);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].conversationId).not.toBe(first.body.items[0].conversationId);
  });
});
