import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { batchGetItems, isConditionalCheckFailed } from '@shared/platform';
import { normaliseForSearch, type UserProfile, type UserSearchField } from '../users/user';

/** A `Users` item as the profile it holds. */
export const toPublicProfile = (item: Record<string, unknown>): UserProfile => ({
  userId: item.userId as string,
  email: item.email as string,
  fullName: item.fullName as string,
  confirmed: Boolean(item.confirmed),
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
});

/**
 * The search keys of a `Users` item, by what a search matches on: the partition is the first
 * character of the normalised value, the sort key the normalised value, so a prefix search is one
 * `begins_with` Query on one partition of a sparse index (user-search-table.ts holds the indexes).
 * Only confirmed users carry them, so only they can be found.
 */
export const SEARCH_KEYS = {
  name: { partition: 'nameKey', sort: 'nameSort' },
  email: { partition: 'emailKey', sort: 'emailSort' },
} as const satisfies Record<UserSearchField, { partition: string; sort: string }>;

/** Sets the search keys of a confirmed user: what UpdateExpression and values that takes. */
function searchKeyUpdate(fullName: string, email: string): { set: string; values: Record<string, string> } {
  const values: Record<string, string> = {};
  const set = (Object.keys(SEARCH_KEYS) as UserSearchField[]).flatMap((field) => {
    const value = normaliseForSearch(field === 'name' ? fullName : email);
    values[`:${field}P`] = value.charAt(0);
    values[`:${field}S`] = value;
    return [`${SEARCH_KEYS[field].partition} = :${field}P`, `${SEARCH_KEYS[field].sort} = :${field}S`];
  });
  return { set: set.join(', '), values };
}

/** The `Users` table: profiles, and the token revocation mark (see auth/revocations). */
export class UsersTable {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: () => Promise<string>,
  ) {}

  /** Creates the profile unless one exists (sign-up can be retried after a partial failure). */
  async createIfAbsent(profile: UserProfile): Promise<void> {
    await this.db
      .send(
        new PutCommand({
          TableName: await this.tableName(),
          Item: profile,
          ConditionExpression: 'attribute_not_exists(userId)',
        }),
      )
      .catch((err) => {
        if (!isConditionalCheckFailed(err)) throw err;
      });
  }

  async markConfirmed(userId: string, fullName: string, email: string, now: string): Promise<void> {
    const keys = searchKeyUpdate(fullName, email);
    await this.db.send(
      new UpdateCommand({
        TableName: await this.tableName(),
        Key: { userId },
        UpdateExpression: `SET confirmed = :true, updatedAt = :now, ${keys.set}`,
        ExpressionAttributeValues: { ':true': true, ':now': now, ...keys.values },
      }),
    );
  }

  async get(userId: string): Promise<UserProfile | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: await this.tableName(), Key: { userId } }));
    return out.Item ? toPublicProfile(out.Item) : undefined;
  }

  /** Profiles for any number of ids (see batchGetItems); unknown ids are absent from the map. */
  async getMany(userIds: readonly string[]): Promise<Map<string, UserProfile>> {
    const keys = [...new Set(userIds)].map((userId) => ({ userId }));
    const items = await batchGetItems(this.db, await this.tableName(), keys);
    return new Map(items.map((item) => [item.userId as string, toPublicProfile(item)]));
  }
}
