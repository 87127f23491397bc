import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { LAST_MESSAGE, messageSortKey } from '@shared/chat/adapters/dynamo-message-store';
import type { UnreadCount, UnreadCounter } from '../ports';

/**
 * Unread counts from the `Messages` table: one Query on the conversation's partition over the
 * message keys after the reader's lastReadSeq, filtered to other people's non-deleted messages,
 * `Select: COUNT` so no item travels back.
 *
 * Cost is bounded, whatever the backlog: each page evaluates at most `cap` items and at most
 * `maxPages` pages are read, so one count reads at most cap × maxPages items (a filter does not make
 * reads cheaper, it only shortens the answer). When it stops early the count is a lower bound and
 * `capped` says so (clients show "99+").
 */
export class MessagesUnreadCounter implements UnreadCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: () => Promise<string>,
    private readonly cap = 100,
    private readonly maxPages = 3,
  ) {}

  async count(conversationId: string, afterSeq: number, readerId: string): Promise<UnreadCount> {
    const table = await this.tableName();
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'conversationId = :c AND sk BETWEEN :from AND :to',
          FilterExpression: 'senderId <> :reader AND (attribute_not_exists(deleted) OR deleted <> :true)',
          ExpressionAttributeValues: {
            ':c': conversationId,
            ':from': messageSortKey(afterSeq + 1),
            ':to': LAST_MESSAGE,
            ':reader': readerId,
            ':true': true,
          },
          Select: 'COUNT',
          Limit: this.cap,
          ExclusiveStartKey: startKey,
        }),
      );
      count += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
      pages++;
      if (count >= this.cap) return { count: this.cap, capped: Boolean(startKey) || count > this.cap };
    } while (startKey && pages < this.maxPages);
    return { count, capped: Boolean(startKey) };
  }
}
