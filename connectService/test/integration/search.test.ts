import { randomUUID } from 'node:crypto';
import { call, expectError, newUser, type TestUser } from '../../../test/support/http';
import { endpoints } from '../../../test/support/stack';
import { connect, users } from './support';

/** A prefix no other test's users share, so the results are exactly this test's users. */
const token = () => `zq${randomUUID().replace(/-/g, '').slice(0, 10)}`;

async function searchAll(as: TestUser, q: string, limit: number) {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const answer: any = await connect('GET', `/users/search?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, as);
    expect(answer.status).toBe(200);
    expect(answer.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { items, pages };
}

describe('connectService: searchUsers', () => {
  it('finds users by a case-insensitive name prefix, page by page, each once, never the caller', async () => {
    const t = token();
    const people = await users(...Array.from({ length: 12 }, (_, i) => `${t.toUpperCase()} Person ${String(i).padStart(2, '0')}`));
    const caller = people[0]!;
    const { items, pages } = await searchAll(caller, `  ${t.slice(0, 8).toUpperCase()}`, 5);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(items.map((u) => u.userId).sort()).toEqual(people.slice(1).map((p) => p.userId).sort());
    expect(items[0]).toEqual({ userId: expect.any(String), fullName: expect.stringMatching(/Person/), email: expect.any(String) });
    expect(Object.keys(items[0]).sort()).toEqual(['email', 'fullName', 'userId']);
  });

  it('finds users by email prefix, and someone matching by both only once', async () => {
    const t = token();
    const byEmail = await newUser('Quentin Mailonly', t);
    const byBoth = await newUser(`${t} Both`, t);
    const byName = await newUser(`${t} Nameonly`);
    const caller = await newUser('Searcher Person');
    const { items } = await searchAll(caller, t, 1);
    expect(items.map((u) => u.userId).sort()).toEqual([byEmail.userId, byBoth.userId, byName.userId].sort());
    const { items: exact } = await searchAll(caller, byEmail.email.toUpperCase(), 10);
    expect(exact).toEqual([{ userId: byEmail.userId, fullName: 'Quentin Mailonly', email: byEmail.email }]);
  });

  it('does not find unconfirmed accounts', async () => {
    const t = token();
    const e = endpoints();
    const email = `${t}@example.com`;
    expect((await call(e.auth, 'POST', '/signUp', { body: { email, password: 'Passw0rdX', fullName: `${t} Pending` } })).status).toBe(201);
    const caller = await newUser('Searcher Two');
    const answer = await connect('GET', `/users/search?q=${t}`, caller);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses bad input with 400 naming the field', async () => {
    const caller = await newUser('Searcher Three');
    const cases: [string, string][] = [
      ['', 'q'],
      ['?q=', 'q'],
      ['?q=%20%20%20', 'q'],
      [`?q=${'a'.repeat(101)}`, 'q'],
      ['?q=a%00b', 'q'],
      ['?q=ab&limit=0', 'limit'],
      ['?q=ab&limit=51', 'limit'],
      ['?q=ab&limit=ten', 'limit'],
      ['?q=ab&cursor=not-a-cursor', 'cursor'],
      ['?q=ab&sort=name', 'sort'],
    ];
    for (const [query, field] of cases) {
      expectError(await connect('GET', `/users/search${query}`, caller), 400, field);
    }
    const t = token();
    await users(`${t} One`, `${t} Two`);
    const first = await connect('GET', `/users/search?q=${t}&limit=1`, caller);
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    // A cursor belongs to its search.
    expectError(await connect('GET', `/users/search?q=${t}x&cursor=${encodeURIComponent(first.body.nextCursor)}`, caller), 400, 'cursor');
    expect((await connect('GET', `/users/search?q=${t}&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`, caller)).status).toBe(200);
    const forged = Buffer.from(JSON.stringify({ q: 'ab', n: ['zz', 'x'], e: null })).toString('base64url');
    expectError(await connect('GET', `/users/search?q=ab&cursor=${forged}`, caller), 400, 'cursor');
  });
});
