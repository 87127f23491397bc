import * as v from 'valibot';
import { badRequest, fields } from '@shared/platform';
import { normaliseForSearch, type SearchHit, type SearchPosition, type UserSearchField } from '@shared/chat';
import { decodeCursor, encodeCursor } from './cursor';
import { pageOf, type Page } from './conversations';
import type { UserSearchIndex } from './ports';

/** A user as search lists them. */
export const FoundUserSchema = v.strictObject({ userId: v.string(), fullName: v.string(), email: v.string() });
export type FoundUser = v.InferOutput<typeof FoundUserSchema>;
export const UserPageSchema = pageOf(FoundUserSchema);

/** A stream's place in the cursor: null = not started, 'end' = exhausted, else after [sort, userId]. */
const SearchText = v.pipe(v.string(), v.minLength(1), v.maxLength(400));
const StreamPosition = v.union([v.null(), v.literal('end'), v.tuple([SearchText, fields.id])]);
type StreamPosition = v.InferOutput<typeof StreamPosition>;
const SearchCursor = v.strictObject({ q: SearchText, n: StreamPosition, e: StreamPosition });

/** Index reads one search request may make per index, whatever the data: the cost bound. */
const MAX_QUERIES_PER_INDEX = 3;
const OUT_OF_BUDGET = Symbol('out of budget');

/**
 * Case-insensitive prefix search over users' full names and emails, without a Scan.
 *
 * Each of the sparse GSIs `nameSearchIndex` and `emailSearchIndex` holds confirmed users under the
 * first character of the lower-cased value, sorted by the lower-cased value, so "all names starting
 * with q" is one `begins_with` Query on one partition, in order. The two ordered streams are merged
 * like in a merge sort (by matched value, then userId), so one page takes the next `limit` users
 * from both; the cursor records how far each stream was consumed, so the next page resumes both
 * exactly there. A user whose name and email both match is listed once: by the name stream (the
 * email stream skips users whose name matches), which works across pages without remembering
 * anyone. The caller is left out. Cost: at most MAX_QUERIES_PER_INDEX Queries of `limit`+1 items
 * per index per request; a page can end short (with a cursor) when that budget runs out.
 */
export class UserSearch {
  constructor(private readonly index: UserSearchIndex) {}

  async search(callerId: string, options: { q: string; limit: number; cursor?: string }): Promise<Page<FoundUser>> {
    const q = normaliseForSearch(options.q);
    const cursor = decodeCursor(options.cursor, SearchCursor);
    if (cursor && (cursor.q !== q || !startsWithQuery(cursor.n, q) || !startsWithQuery(cursor.e, q))) {
      throw badRequest('cursor: belongs to a different search (start again without one)', 'cursor');
    }
    const batch = options.limit + 1;
    const name = new IndexStream(this.index, 'name', q, cursor?.n ?? null, batch);
    const email = new IndexStream(this.index, 'email', q, cursor?.e ?? null, batch);
    const items: FoundUser[] = [];
    while (items.length < options.limit) {
      const [a, b] = await Promise.all([name.peek(), email.peek()]);
      if (a === OUT_OF_BUDGET || b === OUT_OF_BUDGET || (!a && !b)) break;
      const fromName = !b || (a !== undefined && compareHits(a, b) <= 0);
      const hit = fromName ? name.take() : email.take();
      if (hit.profile.userId === callerId) continue;
      if (!fromName && normaliseForSearch(hit.profile.fullName).startsWith(q)) continue;
      items.push({ userId: hit.profile.userId, fullName: hit.profile.fullName, email: hit.profile.email });
    }
    // Looking one step ahead (usually already fetched) tells whether a next page exists at all.
    await Promise.all([name.peek(), email.peek()]);
    const done = name.position === 'end' && email.position === 'end';
    return { items, nextCursor: done ? null : encodeCursor({ q, n: name.position, e: email.position }) };
  }
}

/** One index's matches in order, fetched a batch at a time from the consumed position. */
class IndexStream {
  private buffer: SearchHit[] = [];
  private more = true;
  private queries = 0;

  constructor(
    private readonly index: UserSearchIndex,
    private readonly field: UserSearchField,
    private readonly prefix: string,
    public position: StreamPosition,
    private readonly batch: number,
  ) {}

  async peek(): Promise<SearchHit | undefined | typeof OUT_OF_BUDGET> {
    while (!this.buffer.length) {
      if (this.position === 'end') return undefined;
      if (this.queries >= MAX_QUERIES_PER_INDEX) return OUT_OF_BUDGET;
      const after: SearchPosition | undefined = this.position ? { sort: this.position[0], userId: this.position[1] } : undefined;
      const { hits, more } = await this.index.searchByPrefix(this.field, this.prefix, { after, limit: this.batch });
      this.queries++;
      this.buffer = hits;
      this.more = more;
      if (!hits.length && !more) this.position = 'end';
    }
    return this.buffer[0];
  }

  take(): SearchHit {
    const hit = this.buffer.shift()!;
    this.position = !this.buffer.length && !this.more ? 'end' : [hit.position.sort, hit.position.userId];
    return hit;
  }
}

/** DynamoDB orders string keys by UTF-8 bytes; the merge uses the same order. */
function compareHits(a: SearchHit, b: SearchHit): number {
  return (
    Buffer.compare(Buffer.from(a.position.sort), Buffer.from(b.position.sort)) ||
    (a.profile.userId < b.profile.userId ? -1 : a.profile.userId > b.profile.userId ? 1 : 0)
  );
}

/** A resume position outside the query's key range would make DynamoDB fail the request. */
const startsWithQuery = (p: StreamPosition, q: string) => !Array.isArray(p) || p[0].startsWith(q);
