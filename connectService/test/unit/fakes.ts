import { ConcurrentChangeError, type Actor, type Conversation, normaliseForSearch, type SearchHit, type SearchPosition, type UserProfile, type UserSearchField, type Membership } from '@shared/chat';
import { RecordingMetrics } from '../../../shared/platform/test/fakes';
import { RecordingPublisher } from '../../../shared/chat/test/fakes';
import { ConversationViews } from '../../src/conversation-view';
import { ConversationUseCases } from '../../src/conversations';
import { EventNotifier } from '../../src/event-notifier';
import { MemberUseCases } from '../../src/members';
import type { ConversationStore, MembershipIndex, UnreadCounter, UserDirectory, UserSearchIndex } from '../../src/ports';

/**
 * In-memory stand-ins for the tables, with the same conditions as the DynamoDB adapter: a write
 * whose expectation no longer holds throws ConcurrentChangeError, and nothing is half-applied.
 */
export class FakeTables implements ConversationStore, UserSearchIndex, UnreadCounter {
  conversations = new Map<string, Conversation>();
  memberships = new Map<string, Membership>();
  users = new Map<string, UserProfile>();
  unreadCounts = new Map<string, number>();
  searchQueries = 0;
  /** Runs before each write, e.g. to simulate a concurrent change. */
  beforeWrite: () => void = () => undefined;

  private key = (conversationId: string, userId: string) => `${conversationId}|${userId}`;

  addUser(userId: string, fullName: string, email = `${userId}@example.com`, confirmed = true): UserProfile {
    const profile = { userId, fullName, email, confirmed, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z' };
    this.users.set(userId, profile);
    return profile;
  }

  // ConversationStore
  async get(conversationId: string) {
    const c = this.conversations.get(conversationId);
    return c && { ...c };
  }
  async getMany(ids: readonly string[]) {
    return new Map(ids.filter((id) => this.conversations.has(id)).map((id) => [id, { ...this.conversations.get(id)! }]));
  }
  async create(conversation: Omit<Conversation, 'lastSeq' | 'lastMessage'>, members: readonly Membership[]) {
    this.beforeWrite();
    if (this.conversations.has(conversation.conversationId)) throw new ConcurrentChangeError(['ConditionalCheckFailed']);
    this.conversations.set(conversation.conversationId, { ...conversation, lastSeq: 0 });
    for (const m of members) this.memberships.set(this.key(m.conversationId, m.userId), { ...m });
  }
  async addMember(member: Membership, actor: Actor, max: number) {
    this.beforeWrite();
    const c = this.conversations.get(member.conversationId);
    if (this.memberships.has(this.key(member.conversationId, member.userId)) || !c || c.memberCount >= max || !this.holds(member.conversationId, actor)) {
      throw new ConcurrentChangeError(['ConditionalCheckFailed']);
    }
    this.memberships.set(this.key(member.conversationId, member.userId), { ...member });
    c.memberCount++;
  }
  async removeMember(conversationId: string, member: Actor, guards: { actor?: Actor; promote?: Actor; otherOwner?: string }) {
    this.beforeWrite();
    const c = this.conversations.get(conversationId);
    const ok =
      this.holds(conversationId, member) &&
      c && c.memberCount > 1 &&
      (!guards.actor || this.holds(conversationId, guards.actor)) &&
      (!guards.otherOwner || this.holds(conversationId, { userId: guards.otherOwner, role: 'owner' })) &&
      (!guards.promote || this.holds(conversationId, guards.promote));
    if (!ok) throw new ConcurrentChangeError(['ConditionalCheckFailed']);
    this.memberships.delete(this.key(conversationId, member.userId));
    c!.memberCount--;
    if (guards.promote) this.memberships.get(this.key(conversationId, guards.promote.userId))!.role = 'owner';
  }
  async updateDetails(conversationId: string, changes: { name?: string; description?: string }, updatedAt: string, actor: Actor) {
    this.beforeWrite();
    const c = this.conversations.get(conversationId);
    if (!c || !this.holds(conversationId, actor)) throw new ConcurrentChangeError(['ConditionalCheckFailed']);
    Object.assign(c, changes, { updatedAt });
  }
  async delete(conversationId: string, actor: Actor, memberIds: readonly string[]) {
    this.beforeWrite();
    const c = this.conversations.get(conversationId);
    if (!c || c.memberCount !== memberIds.length || !this.holds(conversationId, actor)) throw new ConcurrentChangeError(['ConditionalCheckFailed']);
    this.conversations.delete(conversationId);
    for (const id of memberIds) this.memberships.delete(this.key(conversationId, id));
  }
  private holds(conversationId: string, actor: Actor) {
    return this.memberships.get(this.key(conversationId, actor.userId))?.role === actor.role;
  }

  // MemberDirectory, reached through directories() (its `get` clashes with the conversation store's)
  async listMembers(conversationId: string) {
    return [...this.memberships.values()].filter((m) => m.conversationId === conversationId).map((m) => ({ ...m }));
  }
  async listUserConversations(userId: string) {
    return [...this.memberships.values()].filter((m) => m.userId === userId).map((m) => ({ ...m }));
  }
  membership(conversationId: string, userId: string) {
    return this.memberships.get(this.key(conversationId, userId));
  }

  // UnreadCounter
  async count(conversationId: string, afterSeq: number, readerId: string) {
    return { count: this.unreadCounts.get(`${conversationId}|${readerId}|${afterSeq}`) ?? 0, capped: false };
  }

  // UserSearchIndex (same order as the GSI: sort value, then userId)
  async searchByPrefix(field: UserSearchField, prefix: string, options: { after?: SearchPosition; limit: number }) {
    this.searchQueries++;
    const all: SearchHit[] = [...this.users.values()]
      .filter((u) => u.confirmed)
      .map((u) => ({ profile: u, position: { sort: normaliseForSearch(field === 'name' ? u.fullName : u.email), userId: u.userId } }))
      .filter((h) => h.position.sort.startsWith(prefix))
      .sort((a, b) => (a.position.sort === b.position.sort ? (a.position.userId < b.position.userId ? -1 : 1) : a.position.sort < b.position.sort ? -1 : 1));
    const after = options.after;
    const rest = after
      ? all.filter((h) => h.position.sort > after.sort || (h.position.sort === after.sort && h.position.userId > after.userId))
      : all;
    return { hits: rest.slice(0, options.limit), more: rest.length > options.limit };
  }
}

/** UserDirectory.getMany and MemberDirectory.get, which clash by name with ConversationStore's get. */
export function directories(t: FakeTables): { members: MembershipIndex; users: UserDirectory } {
  return {
    members: {
      get: async (c: string, u: string) => {
        const m = t.membership(c, u);
        return m && { ...m };
      },
      listMembers: (c: string) => t.listMembers(c),
      listUserConversations: (u: string) => t.listUserConversations(u),
    },
    users: { getMany: async (ids: readonly string[]) => new Map(ids.filter((id) => t.users.has(id)).map((id) => [id, t.users.get(id)!])) },
  };
}

/** The use cases wired to fakes, with a clock that moves one second per call. */
export function fakeService() {
  const tables = new FakeTables();
  const events = new RecordingPublisher();
  const metrics = new RecordingMetrics();
  const { members, users } = directories(tables);
  const notifier = new EventNotifier(events, metrics);
  let tick = Date.parse('2024-05-01T00:00:00.000Z');
  const clock = () => new Date((tick += 1000));
  let ids = 0;
  const conversations = new ConversationUseCases({
    conversations: tables,
    members,
    users,
    views: new ConversationViews(users, tables),
    notifier,
    clock,
    newId: () => `c${String(++ids).padStart(3, '0')}`,
  });
  const memberUseCases = new MemberUseCases({ conversations: tables, members, users, notifier, clock, maxGroupMembers: 5 });
  return { tables, events, metrics, conversations, members: memberUseCases };
}
