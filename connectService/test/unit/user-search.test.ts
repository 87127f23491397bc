import { AppError } from '@shared/platform';
import { encodeCursor } from '../../src/cursor';
import { UserSearch } from '../../src/user-search';
import { FakeTables } from './fakes';

function people() {
  const t = new FakeTables();
  t.addUser('u01', 'Alice Archer', 'alice@example.com'); // name and email match "al": listed once
  t.addUser('u02', 'Bob Stone', 'al.bob@example.com'); // email only
  t.addUser('u03', 'Alan Turing', 'turing@example.com'); // name only
  t.addUser('u04', 'ALBERT Camus', 'camus@example.com'); // case-insensitive
  t.addUser('u05', 'Zed', 'zed@example.com'); // no match
  t.addUser('u06', 'Alma Pending', 'alma@example.com', false); // unconfirmed: not searchable
  t.addUser('me', 'Al Caller', 'caller@example.com'); // the caller: left out
  for (let i = 0; i < 9; i++) t.addUser(`x${i}`, `Xavier ${i}`, `alx${i}@example.com`);
  return t;
}

async function searchAll(search: UserSearch, q: string, limit: number) {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await search.search('me', { q, limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items.map((u) => u.userId));
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 50);
  return { seen, pages };
}

describe('UserSearch', () => {
  it('merges name and email matches, each user once, without the caller', async () => {
    const { seen } = await searchAll(new UserSearch(people()), '  AL ', 50);
    expect(seen.sort()).toEqual(['u01', 'u02', 'u03', 'u04', ...Array.from({ length: 9 }, (_, i) => `x${i}`)].sort());
  });

  it('pages through every match exactly once whatever the page size', async () => {
    for (const limit of [1, 2, 3, 5, 7]) {
      const { seen } = await searchAll(new UserSearch(people()), 'al', limit);
      expect(seen).toHaveLength(13);
      expect(new Set(seen).size).toBe(13);
    }
  });

  it('returns public fields only', async () => {
    const page = await new UserSearch(people()).search('me', { q: 'turing', limit: 5 });
    expect(page).toEqual({ items: [{ userId: 'u03', fullName: 'Alan Turing', email: 'turing@example.com' }], nextCursor: null });
  });

  it('bounds the index reads of one request', async () => {
    const t = new FakeTables();
    // 40 users whose email matches and whose name does too: the email stream skips them all.
    for (let i = 0; i < 40; i++) t.addUser(`d${String(i).padStart(2, '0')}`, `dup ${i}`, `dup${i}@example.com`);
    const page = await new UserSearch(t).search('me', { q: 'dup', limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(t.searchQueries).toBeLessThanOrEqual(6);
  });

  it('refuses a cursor from another search or a forged position with 400', async () => {
    const search = new UserSearch(people());
    const first = await search.search('me', { q: 'al', limit: 2 });
    for (const [q, cursor] of [
      ['bo', first.nextCursor!],
      ['al', encodeCursor({ q: 'al', n: ['zz', 'u01'], e: null })],
      ['al', encodeCursor({ q: 'al', n: 'later', e: null })],
      ['al', 'garbage!'],
    ] as const) {
      const error = await search.search('me', { q, limit: 2, cursor }).catch((e: AppError) => e);
      expect(error).toMatchObject({ status: 400, field: 'cursor' });
    }
  });
});
