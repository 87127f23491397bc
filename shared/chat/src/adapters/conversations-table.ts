import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  GetCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { batchGetItems, cancellationReasons, lostToConcurrentWrite, retry, RETRY } from '@shared/platform';
import type { Membership } from '../members/membership';
import { ConcurrentChangeError, type Actor, type Conversation, type ConversationType, type StoredLastMessage } from '../conversations/conversation';

const TRANSACTION_LIMIT = 100;

const toConversation = (item: Record<string, unknown>): Conversation => ({
  conversationId: item.conversationId as string,
  type: item.type as ConversationType,
  name: item.name as string | undefined,
  description: item.description as string | undefined,
  createdBy: item.createdBy as string,
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
  memberCount: Number(item.memberCount ?? 0),
  directKey: item.directKey as string | undefined,
  lastSeq: Number(item.lastSeq ?? 0),
  lastMessage: item.lastMessage as StoredLastMessage | undefined,
  lastActivityAt: (item.lastActivityAt as string | undefined) ?? (item.createdAt as string),
});

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * The `conversations` table, and the writes that change a conversation together with its rows in
 * `conversation-members-table` (each one TransactWriteItems, conditioned on what the caller read,
 * so concurrent changes fail with ConcurrentChangeError instead of overwriting each other).
 * Readers in other services only need `get`/`getMany`.
 */
export class ConversationsTable {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: () => Promise<string>,
    readonly membersTableName: () => Promise<string>,
  ) {}

  async get(conversationId: string): Promise<Conversation | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: await this.tableName(), Key: { conversationId }, ConsistentRead: true }));
    return out.Item ? toConversation(out.Item) : undefined;
  }

  /** Conversations by id (see batchGetItems); missing ids are absent from the map. */
  async getMany(conversationIds: readonly string[]): Promise<Map<string, Conversation>> {
    const keys = [...new Set(conversationIds)].map((conversationId) => ({ conversationId }));
    const items = await batchGetItems(this.db, await this.tableName(), keys);
    return new Map(items.map((item) => [item.conversationId as string, toConversation(item)]));
  }

  /** Creates the conversation with its first members; ConcurrentChangeError if the id is taken. */
  async create(conversation: Omit<Conversation, 'lastSeq' | 'lastMessage'>, members: readonly Membership[]): Promise<void> {
    if (members.length + 1 > TRANSACTION_LIMIT) throw new Error(`A conversation is created with at most ${TRANSACTION_LIMIT - 1} members`);
    const [table, membersTable] = await Promise.all([this.tableName(), this.membersTableName()]);
    await this.transact([
      { Put: { TableName: table, Item: conversation, ConditionExpression: 'attribute_not_exists(conversationId)' } },
      ...members.map((m) => ({
        Put: { TableName: membersTable, Item: m, ConditionExpression: 'attribute_not_exists(userId)' },
      })),
    ]);
  }

  /** Adds a member while the conversation exists, has room and `actor` still holds their role. */
  async addMember(member: Membership, actor: Actor, maxMembers: number): Promise<void> {
    const [table, membersTable] = await Promise.all([this.tableName(), this.membersTableName()]);
    await this.transact([
      { Put: { TableName: membersTable, Item: member, ConditionExpression: 'attribute_not_exists(userId)' } },
      {
        Update: {
          TableName: table,
          Key: { conversationId: member.conversationId },
          UpdateExpression: 'ADD memberCount :one',
          ConditionExpression: 'attribute_exists(conversationId) AND memberCount < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': maxMembers },
        },
      },
      roleCheck(membersTable, member.conversationId, actor),
    ]);
  }

  /**
   * Removes `member` (who still has the role read). `actor` is checked when someone else removes
   * them; `promote` hands ownership to that member (the last owner leaving); `otherOwner` is checked
   * to still be an owner (an owner leaving while another stays, so two owners leaving at once cannot
   * both rely on the other).
   */
  async removeMember(
    conversationId: string,
    member: Actor,
    guards: { actor?: Actor; promote?: Actor; otherOwner?: string },
  ): Promise<void> {
    const [table, membersTable] = await Promise.all([this.tableName(), this.membersTableName()]);
    const items: TransactItem[] = [
      {
        Delete: roleGuarded(membersTable, conversationId, member),
      },
      {
        Update: {
          TableName: table,
          Key: { conversationId },
          UpdateExpression: 'ADD memberCount :minusOne',
          ConditionExpression: 'attribute_exists(conversationId) AND memberCount > :one',
          ExpressionAttributeValues: { ':minusOne': -1, ':one': 1 },
        },
      },
    ];
    if (guards.actor) items.push(roleCheck(membersTable, conversationId, guards.actor));
    if (guards.otherOwner) items.push(roleCheck(membersTable, conversationId, { userId: guards.otherOwner, role: 'owner' }));
    if (guards.promote) {
      items.push({
        Update: {
          TableName: membersTable,
          Key: { conversationId, userId: guards.promote.userId },
          UpdateExpression: 'SET #role = :owner',
          ConditionExpression: '#role = :role',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':owner': 'owner', ':role': guards.promote.role },
        },
      });
    }
    await this.transact(items);
  }

  /** Renames or re-describes; `actor` must still hold their role. An empty description removes it. */
  async updateDetails(conversationId: string, changes: { name?: string; description?: string }, updatedAt: string, actor: Actor): Promise<void> {
    const [table, membersTable] = await Promise.all([this.tableName(), this.membersTableName()]);
    const set = ['updatedAt = :updatedAt'];
    const remove: string[] = [];
    const values: Record<string, unknown> = { ':updatedAt': updatedAt };
    if (changes.name !== undefined) {
      set.push('#name = :name');
      values[':name'] = changes.name;
    }
    if (changes.description) {
      set.push('description = :description');
      values[':description'] = changes.description;
    } else if (changes.description === '') remove.push('description');
    await this.transact([
      {
        Update: {
          TableName: table,
          Key: { conversationId },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(conversationId)',
          ExpressionAttributeNames: changes.name !== undefined ? { '#name': 'name' } : undefined,
          ExpressionAttributeValues: values,
        },
      },
      roleCheck(membersTable, conversationId, actor),
    ]);
  }

  /**
   * Deletes the conversation and every membership (`memberIds`, the actor's included; also how the
   * last member leaving takes the conversation with them). The first transaction deletes the conversation
   * item (only while `memberCount` is what the caller counted, so nobody joined meanwhile) with the
   * actor's row (only while they keep their role) and up to 98 more rows, so up to 100 members it is
   * one atomic step. Beyond that the remaining rows follow in batches: readers treat a membership
   * whose conversation is gone as absent, so nobody sees a half-deleted conversation.
   */
  async delete(conversationId: string, actor: Actor, memberIds: readonly string[]): Promise<void> {
    const [table, membersTable] = await Promise.all([this.tableName(), this.membersTableName()]);
    const others = memberIds.filter((userId) => userId !== actor.userId);
    const firstBatch = others.slice(0, TRANSACTION_LIMIT - 2);
    await this.transact([
      {
        Delete: {
          TableName: table,
          Key: { conversationId },
          ConditionExpression: 'memberCount = :count',
          ExpressionAttributeValues: { ':count': memberIds.length },
        },
      },
      {
        Delete: roleGuarded(membersTable, conversationId, actor),
      },
      ...firstBatch.map((userId) => ({ Delete: { TableName: membersTable, Key: { conversationId, userId } } })),
    ]);
    await this.deleteMemberships(
      membersTable,
      others.slice(firstBatch.length).map((userId) => ({ conversationId, userId })),
    );
  }

  private async deleteMemberships(membersTable: string, keys: Record<string, string>[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: { DeleteRequest?: { Key?: Record<string, unknown> } }[] = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      const done = await retry({ attempts: 8, backoff: { baseMs: 50, jitter: false } }, async () => {
        const out: BatchWriteCommandOutput = await this.db.send(new BatchWriteCommand({ RequestItems: { [membersTable]: requests as never } }));
        requests = out.UnprocessedItems?.[membersTable] ?? [];
        return requests.length ? RETRY : true;
      });
      if (done === RETRY) throw new Error(`BatchWrite left ${requests.length} memberships undeleted`);
    }
  }

  private async transact(items: TransactItem[]): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (lostToConcurrentWrite(err)) throw new ConcurrentChangeError(cancellationReasons(err).map((r) => r?.Code ?? 'None'));
      throw err;
    }
  }
}

/** The member's row, on condition that their role is still the one the decision was based on. */
function roleGuarded(membersTable: string, conversationId: string, actor: Actor) {
  return {
    TableName: membersTable,
    Key: { conversationId, userId: actor.userId },
    ConditionExpression: '#role = :role',
    ExpressionAttributeNames: { '#role': 'role' },
    ExpressionAttributeValues: { ':role': actor.role },
  };
}

function roleCheck(membersTable: string, conversationId: string, actor: Actor): TransactItem {
  return { ConditionCheck: roleGuarded(membersTable, conversationId, actor) };
}

