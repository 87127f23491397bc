import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetItems, isConditionalCheckFailed } from '@shared/platform';
import type { ConnectionRecord, ConnectionStore, Registered, Removal } from '../ports';

/** The GSI that lists a user's connection rows (for operators; fan-out reads the per-user sets). */
export const USER_ID_INDEX = 'userIdIndex';

/*
 * Layout of `websocket-connections` (PK connectionId), three kinds of item:
 *   <connectionId>               one per open connection: userId (→ userIdIndex), connectedAt, token
 *                                times, expiresAt (TTL)
 *   USER#<userId>                the user's open connection ids as a string set, so a fan-out finds
 *                                the connections of 100 members with one BatchGetItem instead of a
 *                                Query per member; no userId attribute, so it stays out of the GSI
 *   COUNTER#ActiveConnections    the number of open connections (ADD ±1), the ActiveConnections gauge
 * API Gateway connection ids are base64 and ids here never contain '#', so keys cannot collide.
 */
const USER_PREFIX = 'USER#';
const userKey = (userId: string) => `${USER_PREFIX}${userId}`;
const COUNTER_KEY = 'COUNTER#ActiveConnections';

type Db = Pick<DynamoDBDocumentClient, 'send'>;

/** `websocket-connections` on DynamoDB. */
export class ConnectionsTable implements ConnectionStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: () => Promise<string>,
  ) {}

  /** Records a new connection: its row first (so a retried `$connect` counts once), then set and counter. */
  async add(record: ConnectionRecord): Promise<Registered> {
    const TableName = await this.tableName();
    try {
      await this.db.send(new PutCommand({ TableName, Item: record, ConditionExpression: 'attribute_not_exists(connectionId)' }));
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const [userConnections, activeConnections] = await Promise.all([this.setSize(TableName, record.userId), this.activeConnections()]);
      return { userConnections, activeConnections };
    }
    const [userConnections, activeConnections] = await Promise.all([
      this.changeSet(TableName, record.userId, 'ADD', record.connectionId),
      this.changeCounter(TableName, 1),
    ]);
    return { userConnections, activeConnections };
  }

  /** The connection's row, read strongly consistent: a frame can follow its `$connect` within milliseconds. */
  async get(connectionId: string): Promise<ConnectionRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: await this.tableName(), Key: { connectionId }, ConsistentRead: true }));
    return out.Item?.userId ? (out.Item as ConnectionRecord) : undefined;
  }

  /**
   * Removes a connection. With `connectedBefore`, a row younger than that ISO time is kept (a
   * PostToConnection during `$connect` is refused as gone, yet the connection is about to open).
   * `userId` tidies the user's set even when the row itself has gone already.
   */
  async remove(connectionId: string, options: { userId?: string; connectedBefore?: string } = {}): Promise<Removal> {
    const TableName = await this.tableName();
    let old: Record<string, unknown> | undefined;
    try {
      const out = await this.db.send(
        new DeleteCommand({
          TableName,
          Key: { connectionId },
          ReturnValues: 'ALL_OLD',
          ...(options.connectedBefore
            ? {
                ConditionExpression: 'attribute_not_exists(connectionId) OR connectedAt < :cutoff',
                ExpressionAttributeValues: { ':cutoff': options.connectedBefore },
              }
            : {}),
        }),
      );
      old = out.Attributes;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return { kind: 'kept' };
      throw err;
    }
    const userId = (old?.userId as string | undefined) ?? options.userId;
    if (!old) {
      return userId ? { kind: 'absent', userConnections: await this.changeSet(TableName, userId, 'DELETE', connectionId) } : { kind: 'absent' };
    }
    const [userConnections, activeConnections] = await Promise.all([
      this.changeSet(TableName, userId!, 'DELETE', connectionId),
      this.changeCounter(TableName, -1),
    ]);
    return { kind: 'removed', userId: userId!, userConnections, activeConnections };
  }

  /** Open connection ids per user: one BatchGetItem per 100 users. */
  async connectionsOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>(userIds.map((id) => [id, []]));
    const items = await batchGetItems(this.db, await this.tableName(), [...found.keys()].map((id) => ({ connectionId: userKey(id) })));
    for (const item of items) {
      found.set((item.connectionId as string).slice(USER_PREFIX.length), [...((item.connections as Set<string> | undefined) ?? [])]);
    }
    return found;
  }

  async activeConnections(): Promise<number> {
    const out = await this.db.send(new GetCommand({ TableName: await this.tableName(), Key: { connectionId: COUNTER_KEY } }));
    return Number(out.Item?.activeConnections ?? 0);
  }

  private async changeSet(TableName: string, userId: string, op: 'ADD' | 'DELETE', connectionId: string): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName,
        Key: { connectionId: userKey(userId) },
        UpdateExpression: `${op} connections :c`,
        ExpressionAttributeValues: { ':c': new Set([connectionId]) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (out.Attributes?.connections as Set<string> | undefined)?.size ?? 0;
  }

  private async setSize(TableName: string, userId: string): Promise<number> {
    const out = await this.db.send(new GetCommand({ TableName, Key: { connectionId: userKey(userId) }, ConsistentRead: true }));
    return (out.Item?.connections as Set<string> | undefined)?.size ?? 0;
  }

  private async changeCounter(TableName: string, delta: number): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName,
        Key: { connectionId: COUNTER_KEY },
        UpdateExpression: 'ADD activeConnections :d',
        ExpressionAttributeValues: { ':d': delta },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.activeConnections ?? 0);
  }
}
