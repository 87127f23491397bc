import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { forbidden } from '@shared/platform/errors';
import type { MemberRole, Membership } from '../members/membership';

const toMembership = (item: Record<string, unknown>): Membership => ({
  conversationId: item.conversationId as string,
  userId: item.userId as string,
  role: item.role as MemberRole,
  joinedAt: item.joinedAt as string,
  lastReadSeq: (item.lastReadSeq as number | undefined) ?? 0,
  lastReadAt: item.lastReadAt as string | undefined,
});

/** Reads of `conversation-members-table`, shared by every service that checks membership. */
export class MembersTable {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    readonly tableName: () => Promise<string>,
  ) {}

  /** The caller's membership, read strongly consistent so a removed member loses access at once. */
  async get(conversationId: string, userId: string): Promise<Membership | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: await this.tableName(), Key: { conversationId, userId }, ConsistentRead: true }),
    );
    return out.Item ? toMembership(out.Item) : undefined;
  }

  /** The membership, or 403 for a non-member. */
  async require(conversationId: string, userId: string): Promise<Membership> {
    const membership = await this.get(conversationId, userId);
    if (!membership) throw forbidden('You are not a member of this conversation');
    return membership;
  }

  /** Every member of a conversation (one paginated Query). */
  async listMembers(conversationId: string): Promise<Membership[]> {
    return this.queryAll({
      TableName: await this.tableName(),
      KeyConditionExpression: 'conversationId = :c',
      ExpressionAttributeValues: { ':c': conversationId },
      ConsistentRead: true,
    });
  }

  protected async queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Membership[]> {
    const items: Membership[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out: QueryCommandOutput = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      for (const item of out.Items ?? []) items.push(toMembership(item));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}
