import { forEachLimited, logger } from '@shared/platform';
import type { ConnectionStore, ListCache, MemberLists } from './ports';

/** The cache's keys, one namespace per kind of list. */
export const cacheKey = {
  members: (conversationId: string) => `members:${conversationId}`,
  conversations: (userId: string) => `conversations:${userId}`,
  connections: (userId: string) => `connections:${userId}`,
};

/** Member lists loaded at once when a presence change reaches many conversations. */
const QUERIES_IN_FLIGHT = 10;

/**
 * Who receives what: members of conversations, conversations of users, connections of users.
 * DynamoDB is the truth; Redis is a read-through cache in front of it, invalidated when what it
 * holds changes, and skipped (never waited for) while it is down.
 */
export class Audience {
  private readonly lists: ListInvalidation;

  constructor(
    private readonly members: MemberLists,
    private readonly connections: Pick<ConnectionStore, 'connectionsOf'>,
    private readonly cache: ListCache,
  ) {
    this.lists = new ListInvalidation(cache);
  }

  async membersOf(conversationId: string): Promise<string[]> {
    return (await this.membersOfMany([conversationId])).get(conversationId) ?? [];
  }

  /** Members per conversation: one cache read for all of them, one Query per conversation missed (10 at a time). */
  async membersOfMany(conversationIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.readThrough(conversationIds, cacheKey.members, async (missed) => {
      const lists = new Map<string, string[]>();
      await forEachLimited(missed, QUERIES_IN_FLIGHT, async (id) => {
        lists.set(id, (await this.members.listMembers(id)).map((m) => m.userId));
      });
      return lists;
    });
  }

  async conversationsOf(userId: string): Promise<string[]> {
    const found = await this.readThrough([userId], cacheKey.conversations, async ([id]) =>
      new Map([[id!, (await this.members.listUserConversations(id!)).map((m) => m.conversationId)]]),
    );
    return found.get(userId) ?? [];
  }

  /** Open connection ids per user: one cache read, then one BatchGetItem per 100 users missed. */
  async connectionsOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.readThrough(userIds, cacheKey.connections, (missed) => this.connections.connectionsOf(missed));
  }

  forgetMembers(conversationId: string): Promise<void> {
    return this.lists.forgetMembers(conversationId);
  }

  forgetConversations(userIds: readonly string[]): Promise<void> {
    return this.lists.forgetConversations(userIds);
  }

  forgetConnections(userId: string): Promise<void> {
    return this.lists.forgetConnections(userId);
  }

  private async readThrough(ids: readonly string[], keyOf: (id: string) => string, load: (missed: string[]) => Promise<Map<string, string[]>>): Promise<Map<string, string[]>> {
    const unique = [...new Set(ids)];
    const keys = unique.map(keyOf);
    const cached = await bestEffort('cache.read', { hits: new Map<string, string[]>(), tokens: new Map<string, string>() }, () => this.cache.read(keys));
    const found = new Map<string, string[]>();
    const missed: string[] = [];
    unique.forEach((id, i) => {
      const hit = cached.hits.get(keys[i]!);
      if (hit) found.set(id, hit);
      else missed.push(id);
    });
    if (missed.length === 0) return found;
    const loaded = await load(missed);
    for (const id of missed) found.set(id, loaded.get(id) ?? []);
    await bestEffort('cache.fill', undefined, () => this.cache.fill(missed.map((id) => ({ key: keyOf(id), value: found.get(id)! })), cached.tokens));
    return found;
  }

}

/**
 * The cached lists' invalidations alone: what connect and disconnect need, without the member
 * lists they never read.
 */
export class ListInvalidation {
  constructor(private readonly cache: Pick<ListCache, 'invalidate'>) {}

  async forgetMembers(conversationId: string): Promise<void> {
    await this.invalidate([cacheKey.members(conversationId)]);
  }

  async forgetConversations(userIds: readonly string[]): Promise<void> {
    await this.invalidate(userIds.map(cacheKey.conversations));
  }

  async forgetConnections(userId: string): Promise<void> {
    await this.invalidate([cacheKey.connections(userId)]);
  }

  /*
   * A lost invalidation leaves a stale list until its TTL: the warning says so. Redis being down is
   * the usual cause, and then nothing reads the stale entry until Redis is back.
   */
  private async invalidate(keys: string[]): Promise<void> {
    await bestEffort('cache.invalidate', undefined, () => this.cache.invalidate(keys));
  }
}

/** Runs a cache operation that is only an accelerator: on failure it is logged and `fallback` returned. */
async function bestEffort<T>(what: string, fallback: T, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    logger.warn('redis.degraded', { operation: what, error: (err as Error).message });
    return fallback;
  }
}
