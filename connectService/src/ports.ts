import type { ConversationsTable, MembersTable, UsersTable } from '@shared/chat/adapters';

/*
 * What the use cases need from storage, as narrow views of the shared table adapters, so unit tests
 * can hand in in-memory fakes and the use cases read without knowing DynamoDB.
 */

export type ConversationStore = Pick<
  ConversationsTable,
  'get' | 'getMany' | 'create' | 'addMember' | 'removeMember' | 'updateDetails' | 'delete'
>;

export type MemberDirectory = Pick<MembersTable, 'get' | 'listMembers' | 'listUserConversations'>;

export type UserDirectory = Pick<UsersTable, 'getMany'>;

export type UserSearchIndex = Pick<UsersTable, 'searchByPrefix'>;

export interface UnreadCount {
  count: number;
  /** True when counting stopped early: `count` is a lower bound. */
  capped: boolean;
}

/** Counts messages a reader has not read: seq above `afterSeq`, not deleted, not their own. */
export interface UnreadCounter {
  count(conversationId: string, afterSeq: number, readerId: string): Promise<UnreadCount>;
}
