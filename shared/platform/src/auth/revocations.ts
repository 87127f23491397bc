import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Where a user's "tokens issued up to this second are revoked" mark lives. A signed JWT stays
 * valid until it expires, so sign-out is enforced by every service checking this mark.
 */
export interface RevocationStore {
  revokedAt(userId: string): Promise<number | undefined>;
  revoke(userId: string, epochSeconds: number): Promise<void>;
}

/** The mark is an attribute of the user's profile in the `Users` table, read with strong consistency. */
export class DynamoRevocationStore implements RevocationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => Promise<string>,
  ) {}

  async revokedAt(userId: string): Promise<number | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: await this.table(),
        Key: { userId },
        ProjectionExpression: 'tokensRevokedAt',
        ConsistentRead: true,
      }),
    );
    return out.Item?.tokensRevokedAt as number | undefined;
  }

  async revoke(userId: string, epochSeconds: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: await this.table(),
        Key: { userId },
        UpdateExpression: 'SET tokensRevokedAt = :t',
        ConditionExpression: 'attribute_exists(userId)',
        ExpressionAttributeValues: { ':t': epochSeconds },
      }),
    );
  }
}
