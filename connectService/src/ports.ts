import type { Actor, Conversation, Membership, SearchHit, SearchPosition, UserProfile, UserSearchField } from '@shared/chat';

/*
 * What connectService's use cases need from storage, as interfaces they own. The DynamoDB adapters
 * (ConversationsTable, MembersTable, UsersTable from shared/chat, and ./adapters) implement them and
 * are built in the composition root (src/app/); unit tests hand in the fakes of test/unit/fakes.ts.
 *
 * Every write is conditioned on what the caller read and fails with ConcurrentChangeError when it
 * no longer holds, so use cases read, decide and write "if still as I saw it" (see concurrency.ts).
 */

/** Conversations with their membership rows, written together. */
export interface ConversationStore {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** Conversations by id; missing ids are absent from the map. */
  getMany(conversationIds: readonly string[]): Promise<Map<string, Conversation>>;
  /** Creates the conversation with its first members (ConcurrentChangeError if the id is taken). */
  create(conversation: Omit<Conversation, 'lastSeq' | 'lastMessage'>, members: readonly Membership[]): Promise<void>;
  /** Adds a member while the conversation exists, has room and `actor` still holds their role. */
  addMember(member: Membership, actor: Actor, maxMembers: number): Promise<void>;
  /**
   * Removes `member` (who still has the role read), checking `actor` when someone else removes them,
   * promoting `promote` to owner, and checking `otherOwner` is still an owner.
   */
  removeMember(conversationId: string, member: Actor, guards: { actor?: Actor; promote?: Actor; otherOwner?: string }): Promise<void>;
  /** Renames or re-describes; `actor` must still hold their role. An empty description removes it. */
  updateDetails(conversationId: string, changes: { name?: string; description?: string }, updatedAt: string, actor: Actor): Promise<void>;
  /** Deletes the conversation and every membership, while nobody joined and `actor` keeps their role. */
  delete(conversationId: string, actor: Actor, memberIds: readonly string[]): Promise<void>;
}

/** Memberships, read strongly consistent so a removed member loses access at once. */
export interface MemberDirectory {
  get(conversationId: string, userId: string): Promise<Membership | undefined>;
  listMembers(conversationId: string): Promise<Membership[]>;
}

/** The directory with each user's memberships too (a separate index: only listing conversations needs it). */
export interface MembershipIndex extends MemberDirectory {
  listUserConversations(userId: string): Promise<Membership[]>;
}

export interface UserDirectory {
  /** Profiles by id; unknown ids are absent from the map. */
  getMany(userIds: readonly string[]): Promise<Map<string, UserProfile>>;
}

export interface UserSearchIndex {
  /** One page of confirmed users whose name (or email) starts with the normalised `prefix`, in index order, after `after`. */
  searchByPrefix(field: UserSearchField, prefix: string, options: { after?: SearchPosition; limit: number }): Promise<{ hits: SearchHit[]; more: boolean }>;
}

export interface UnreadCount {
  count: number;
  /** True when counting stopped early: `count` is a lower bound. */
  capped: boolean;
}

/** Counts messages a reader has not read: seq above `afterSeq`, not deleted, not their own. */
export interface UnreadCounter {
  count(conversationId: string, afterSeq: number, readerId: string): Promise<UnreadCount>;
}
