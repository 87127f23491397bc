import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, isConditionalCheckFailed, isTransactionCancelled, isTransactionConflict, type CancellationReason } from '@shared/platform';
import type { ChatEvent } from '../events/chat-event';
import type { ReadState } from '../messages/message';
import type { StoredLastMessage } from '../conversations/conversation';
import type {
  AppendOutcome,
  ConversationState,
  MemberRequirement,
  MessageStore,
  ReadOutcome,
  ReplaceOutcome,
  StoredMessage,
  UndeliveredEvent,
} from '../messages/message-store';

/** Table names, read at run time from SSM (/MESSAGE_TABLE_NAME, /CONVERSATIONS_TABLE_NAME, /CONVERSATION_MEMBERS_TABLE). */
export interface MessageTables {
  messages: string;
  conversations: string;
  members: string;
}

/** The Messages table's LSI (conversationId, messageId): strongly consistent lookup by id. */
export const MESSAGE_ID_INDEX = 'messageIdIndex';

/*
 * Layout of the `Messages` table (PK conversationId, SK sk), one item collection per conversation:
 *   MSG#<seq, 12 digits>               the message; zero-padding makes sk order = seq order, so
 *                                      history is a Query over a key range, never a Scan
 *   CMID#<senderId>#<clientMessageId>  idempotency key → targetSeq (its pointer attributes are not
 *                                      named messageId, so it stays out of messageIdIndex)
 *   OUTBOX#<occurredAt>#<eventId>      an event whose publication failed, until redelivered
 * Ids never contain '#' (see fields.id), so keys cannot collide.
 */
const SEQ_DIGITS = 12;
export const messageSortKey = (seq: number) => `MSG#${String(seq).padStart(SEQ_DIGITS, '0')}`;
const FIRST_MESSAGE = messageSortKey(1);
/** The highest message key there can be: the open end of a key range. */
export const LAST_MESSAGE = messageSortKey(10 ** SEQ_DIGITS - 1);
export const clientMessageSortKey = (senderId: string, clientMessageId: string) => `CMID#${senderId}#${clientMessageId}`;
const OUTBOX = 'OUTBOX#';

type Item = Record<string, unknown>;
type Db = Pick<DynamoDBDocumentClient, 'send'>;

const reasonCodes = (err: unknown): (string | undefined)[] => cancellationReasons(err).map((r) => r?.Code);
/** The conversation's lastSeq from a refused update's old image; undefined when the item is gone. */
function counterIn(item: CancellationReason['Item']): number | undefined {
  if (!item?.conversationId) return undefined;
  const seq = Number(item.lastSeq?.N ?? 0);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/**
 * MessageStore on DynamoDB: the `Messages` table, plus the counter and preview attributes of
 * `conversations` items and the read state of `conversation-members-table` rows.
 */
export class DynamoMessageStore implements MessageStore {
  constructor(
    private readonly db: Db,
    private readonly tables: () => Promise<MessageTables>,
  ) {}

  async conversation(conversationId: string): Promise<ConversationState | undefined> {
    const { conversations } = await this.tables();
    const out = await this.db.send(
      new GetCommand({
        TableName: conversations,
        Key: { conversationId },
        ConsistentRead: true,
        ProjectionExpression: 'conversationId, lastSeq, lastMessage, pendingEvents',
      }),
    );
    if (!out.Item) return undefined;
    return {
      conversationId,
      lastSeq: Number(out.Item.lastSeq ?? 0),
      lastMessage: out.Item.lastMessage as StoredLastMessage | undefined,
      pendingEvents: Number(out.Item.pendingEvents ?? 0),
    };
  }

  async append(message: StoredMessage, options: { previousSeq: number; contentHash: string; lastMessage: StoredLastMessage }): Promise<AppendOutcome> {
    const t = await this.tables();
    const { conversationId, senderId, clientMessageId } = message;
    const counterIsPrevious =
      options.previousSeq === 0 ? '(attribute_not_exists(lastSeq) OR lastSeq = :previous)' : 'lastSeq = :previous';
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Update: {
          TableName: t.conversations,
          Key: { conversationId },
          UpdateExpression: 'SET lastSeq = :seq, lastMessage = :last, lastActivityAt = :at',
          ConditionExpression: `attribute_exists(conversationId) AND ${counterIsPrevious}`,
          ExpressionAttributeValues: { ':seq': message.seq, ':previous': options.previousSeq, ':last': options.lastMessage, ':at': message.createdAt },
          // A sender that lost the race learns the counter from the refusal and needs no extra read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        ConditionCheck: {
          TableName: t.members,
          Key: { conversationId, userId: senderId },
          ConditionExpression: 'attribute_exists(userId)',
        },
      },
      {
        Put: {
          TableName: t.messages,
          Item: { ...message, sk: messageSortKey(message.seq) },
          ConditionExpression: 'attribute_not_exists(sk)',
        },
      },
    ];
    if (clientMessageId) {
      items.push({
        Put: {
          TableName: t.messages,
          Item: {
            conversationId,
            sk: clientMessageSortKey(senderId, clientMessageId),
            targetSeq: message.seq,
            contentHash: options.contentHash,
            createdAt: message.createdAt,
          },
          ConditionExpression: 'attribute_not_exists(sk)',
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { kind: 'appended' };
    } catch (err) {
      if (isTransactionConflict(err)) return { kind: 'contended' };
      if (!isTransactionCancelled(err)) throw err;
      const [counter, membership, , idempotency] = cancellationReasons(err);
      if (membership?.Code === 'ConditionalCheckFailed') return { kind: 'notMember' };
      if (idempotency?.Code === 'ConditionalCheckFailed') {
        const pointer = await this.clientMessage(t.messages, conversationId, senderId, clientMessageId!);
        if (pointer) return { kind: 'duplicate', ...pointer };
      }
      // The counter moved (or the conversation vanished, which the next read answers with 404).
      return { kind: 'contended', lastSeq: counter?.Code === 'ConditionalCheckFailed' ? counterIn(counter.Item) : undefined };
    }
  }

  async getBySeq(conversationId: string, seq: number): Promise<StoredMessage | undefined> {
    const { messages } = await this.tables();
    const out = await this.db.send(new GetCommand({ TableName: messages, Key: { conversationId, sk: messageSortKey(seq) }, ConsistentRead: true }));
    return out.Item ? toStored(out.Item) : undefined;
  }

  async getById(conversationId: string, messageId: string): Promise<StoredMessage | undefined> {
    const { messages } = await this.tables();
    const out = await this.db.send(
      new QueryCommand({
        TableName: messages,
        IndexName: MESSAGE_ID_INDEX,
        KeyConditionExpression: 'conversationId = :c AND messageId = :m',
        ExpressionAttributeValues: { ':c': conversationId, ':m': messageId },
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? toStored(item) : undefined;
  }

  async listNewestFirst(conversationId: string, beforeSeq: number | undefined, limit: number): Promise<StoredMessage[]> {
    if (beforeSeq !== undefined && beforeSeq <= 1) return [];
    const upper = beforeSeq === undefined ? LAST_MESSAGE : messageSortKey(beforeSeq - 1);
    return this.range(conversationId, FIRST_MESSAGE, upper, limit, false);
  }

  async listAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    if (afterSeq + 1 >= 10 ** SEQ_DIGITS) return [];
    return this.range(conversationId, messageSortKey(afterSeq + 1), LAST_MESSAGE, limit, true);
  }

  async newestVisibleBefore(conversationId: string, seq: number): Promise<StoredMessage | undefined> {
    if (seq <= 1) return undefined;
    const { messages } = await this.tables();
    let startKey: Item | undefined;
    // Long runs of deleted messages are rare; the bound keeps a pathological one from running away.
    for (let page = 0; page < 20; page++) {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: messages,
          KeyConditionExpression: 'conversationId = :c AND sk BETWEEN :lo AND :hi',
          FilterExpression: 'attribute_not_exists(deleted)',
          ExpressionAttributeValues: { ':c': conversationId, ':lo': FIRST_MESSAGE, ':hi': messageSortKey(seq - 1) },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: 50,
          ExclusiveStartKey: startKey,
        }),
      );
      const item = out.Items?.[0];
      if (item) return toStored(item);
      startKey = out.LastEvaluatedKey;
      if (!startKey) return undefined;
    }
    return undefined;
  }

  async edit(message: StoredMessage, change: { content: string; editedAt: string }, who: MemberRequirement): Promise<boolean> {
    return this.changeMessage(message, who, {
      UpdateExpression: 'SET content = :content, editedAt = :editedAt, version = :next',
      ConditionExpression: 'attribute_exists(sk) AND version = :version AND senderId = :author AND attribute_not_exists(deleted)',
      ExpressionAttributeValues: { ':content': change.content, ':editedAt': change.editedAt, ':author': message.senderId },
    });
  }

  async tombstone(message: StoredMessage, change: { deletedBy: string; deletedAt: string }, who: MemberRequirement): Promise<boolean> {
    return this.changeMessage(message, who, {
      UpdateExpression: 'SET deleted = :true, deletedAt = :deletedAt, deletedBy = :deletedBy, version = :next REMOVE content',
      ConditionExpression: 'attribute_exists(sk) AND version = :version AND attribute_not_exists(deleted)',
      ExpressionAttributeValues: { ':true': true, ':deletedAt': change.deletedAt, ':deletedBy': change.deletedBy },
    }, change.deletedBy);
  }

  async replaceLastMessage(conversationId: string, expectedMessageId: string, next: StoredLastMessage | undefined): Promise<ReplaceOutcome> {
    const t = await this.tables();
    const update = {
      TableName: t.conversations,
      Key: { conversationId },
      UpdateExpression: next ? 'SET lastMessage = :next' : 'REMOVE lastMessage',
      ConditionExpression: 'lastMessage.messageId = :expected',
      ExpressionAttributeValues: { ':expected': expectedMessageId, ...(next ? { ':next': next } : {}) },
    };
    if (!next) {
      try {
        await this.db.send(new UpdateCommand(update));
        return 'replaced';
      } catch (err) {
        if (isConditionalCheckFailed(err)) return 'superseded';
        throw err;
      }
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: update },
            {
              // The fallback must still be as read: not deleted or edited since, or the preview would lie.
              ConditionCheck: {
                TableName: t.messages,
                Key: { conversationId, sk: messageSortKey(next.seq) },
                ConditionExpression: 'version = :version AND attribute_not_exists(deleted)',
                ExpressionAttributeValues: { ':version': next.version },
              },
            },
          ],
        }),
      );
      return 'replaced';
    } catch (err) {
      if (isTransactionConflict(err)) return 'candidateChanged';
      if (!isTransactionCancelled(err)) throw err;
      const [preview, candidate] = reasonCodes(err);
      if (preview === 'ConditionalCheckFailed') return 'superseded';
      return candidate === 'ConditionalCheckFailed' || candidate === 'TransactionConflict' || preview === 'TransactionConflict'
        ? 'candidateChanged'
        : 'superseded';
    }
  }

  async refreshLastMessage(conversationId: string, lastMessage: StoredLastMessage): Promise<void> {
    const { conversations } = await this.tables();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: conversations,
          Key: { conversationId },
          UpdateExpression: 'SET lastMessage = :last',
          ConditionExpression: 'lastMessage.messageId = :id AND (attribute_not_exists(lastMessage.version) OR lastMessage.version < :version)',
          ExpressionAttributeValues: { ':last': lastMessage, ':id': lastMessage.messageId, ':version': lastMessage.version },
        }),
      );
    } catch (err) {
      // A newer message, or a newer version of this one, is shown already.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async advanceReadState(conversationId: string, userId: string, seq: number, readAt: string): Promise<ReadOutcome> {
    const { members } = await this.tables();
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: members,
          Key: { conversationId, userId },
          UpdateExpression: 'SET lastReadSeq = :seq, lastReadAt = :at',
          ConditionExpression: 'attribute_exists(userId) AND (attribute_not_exists(lastReadSeq) OR lastReadSeq < :seq)',
          ExpressionAttributeValues: { ':seq': seq, ':at': readAt },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { kind: 'moved', state: toReadState(out.Attributes!) };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const current = await this.db.send(new GetCommand({ TableName: members, Key: { conversationId, userId }, ConsistentRead: true }));
    return current.Item ? { kind: 'behind', state: toReadState(current.Item) } : { kind: 'notMember' };
  }

  async saveUndelivered(event: ChatEvent): Promise<void> {
    const t = await this.tables();
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: t.messages,
              Item: {
                conversationId: event.conversationId,
                sk: `${OUTBOX}${event.occurredAt}#${event.eventId}`,
                eventType: event.type,
                event: JSON.stringify(event),
                createdAt: new Date().toISOString(),
              },
            },
          },
          {
            // The count rides on the item every write reads anyway, so checking for work costs nothing.
            Update: {
              TableName: t.conversations,
              Key: { conversationId: event.conversationId },
              UpdateExpression: 'ADD pendingEvents :one',
              ConditionExpression: 'attribute_exists(conversationId)',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
  }

  async undelivered(conversationId: string, limit: number): Promise<UndeliveredEvent[]> {
    const { messages } = await this.tables();
    const out = await this.db.send(
      new QueryCommand({
        TableName: messages,
        KeyConditionExpression: 'conversationId = :c AND begins_with(sk, :outbox)',
        ExpressionAttributeValues: { ':c': conversationId, ':outbox': OUTBOX },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => ({ key: item.sk as string, event: JSON.parse(item.event as string) as ChatEvent }));
  }

  async markDelivered(conversationId: string, key: string): Promise<boolean> {
    const t = await this.tables();
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: t.messages, Key: { conversationId, sk: key }, ConditionExpression: 'attribute_exists(sk)' } },
            {
              Update: {
                TableName: t.conversations,
                Key: { conversationId },
                UpdateExpression: 'ADD pendingEvents :minusOne',
                ConditionExpression: 'attribute_exists(conversationId)',
                ExpressionAttributeValues: { ':minusOne': -1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isTransactionCancelled(err) || isTransactionConflict(err)) return false;
      throw err;
    }
  }

  private async clientMessage(table: string, conversationId: string, senderId: string, clientMessageId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: table, Key: { conversationId, sk: clientMessageSortKey(senderId, clientMessageId) }, ConsistentRead: true }),
    );
    return out.Item ? { seq: Number(out.Item.targetSeq), contentHash: out.Item.contentHash as string | undefined } : undefined;
  }

  /** One conditional change of a message, atomic with a check that the actor may still make it. */
  private async changeMessage(
    message: StoredMessage,
    who: MemberRequirement,
    change: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Item },
    actorId: string = message.senderId,
  ): Promise<boolean> {
    const t = await this.tables();
    const { conversationId } = message;
    const memberCheck =
      'anyRole' in who
        ? { ConditionExpression: 'attribute_exists(userId)' }
        : {
            ConditionExpression: `#role IN (${who.roles.map((_, i) => `:role${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: Object.fromEntries(who.roles.map((r, i) => [`:role${i}`, r])),
          };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: t.messages,
                Key: { conversationId, sk: messageSortKey(message.seq) },
                UpdateExpression: change.UpdateExpression,
                ConditionExpression: change.ConditionExpression,
                ExpressionAttributeValues: { ...change.ExpressionAttributeValues, ':version': message.version, ':next': message.version + 1 },
              },
            },
            { ConditionCheck: { TableName: t.members, Key: { conversationId, userId: actorId }, ...memberCheck } },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isTransactionCancelled(err) || isTransactionConflict(err)) return false;
      throw err;
    }
  }

  private async range(conversationId: string, lower: string, upper: string, limit: number, oldestFirst: boolean): Promise<StoredMessage[]> {
    const { messages } = await this.tables();
    const input: QueryCommandInput = {
      TableName: messages,
      KeyConditionExpression: 'conversationId = :c AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':c': conversationId, ':lo': lower, ':hi': upper },
      ScanIndexForward: oldestFirst,
      ConsistentRead: true,
      Limit: limit,
    };
    const out = await this.db.send(new QueryCommand(input));
    return (out.Items ?? []).map(toStored);
  }
}

function toStored(item: Item): StoredMessage {
  const m: StoredMessage = {
    messageId: item.messageId as string,
    conversationId: item.conversationId as string,
    seq: Number(item.seq),
    senderId: item.senderId as string,
    content: (item.content as string | undefined) ?? null,
    createdAt: item.createdAt as string,
    version: Number(item.version ?? 1),
  };
  if (item.editedAt) m.editedAt = item.editedAt as string;
  if (item.deleted) {
    m.deleted = true;
    m.deletedAt = item.deletedAt as string;
    m.deletedBy = item.deletedBy as string | undefined;
  }
  if (item.clientMessageId) m.clientMessageId = item.clientMessageId as string;
  return m;
}

function toReadState(item: Item): ReadState {
  return {
    conversationId: item.conversationId as string,
    userId: item.userId as string,
    lastReadSeq: Number(item.lastReadSeq ?? 0),
    lastReadAt: item.lastReadAt as string | undefined,
  };
}
