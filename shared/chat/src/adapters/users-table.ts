import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { batchGetItems, isConditionalCheckFailed } from '@shared/platform';
import { normaliseForSearch, type SearchHit, type SearchPosition, type UserProfile, type UserSearchField } from '../users/user';

const toPublicProfile = (item: Record<string, unknown>): UserProfile => ({
  userId: item.userId as string,
  email: item.email as string,
  fullName: item.fullName as string,
  confirmed: Boolean(item.confirmed),
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
});

/**
 * Search keys for the sparse `nameSearchIndex` / `emailSearchIndex` GSIs: the partition is the
 * first character of the lower-cased value, the sort key the lower-cased value, so a prefix search
 * is one `begins_with` Query on one partition. Only confirmed users carry them, so only they can
 * be found.
 */
function searchKeys(fullName: string, email: string): Record<string, string> {
  const name = normaliseForSearch(fullName);
  const mail = normaliseForSearch(email);
  return { nameKey: name.charAt(0), nameSort: name, emailKey: mail.charAt(0), emailSort: mail };
}

/** The two search indexes by what they match on. */
export const USER_SEARCH_INDEXES = {
  name: { indexName: 'nameSearchIndex', partition: 'nameKey', sort: 'nameSort' },
  email: { indexName: 'emailSearchIndex', partition: 'emailKey', sort: 'emailSort' },
} as const satisfies Record<UserSearchField, { indexName: string; partition: string; sort: string }>;

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
    const keys = searchKeys(fullName, email);
    await this.db.send(
      new UpdateCommand({
        TableName: await this.tableName(),
        Key: { userId },
        UpdateExpression:
          'SET confirmed = :true, updatedAt = :now, nameKey = :nk, nameSort = :ns, emailKey = :ek, emailSort = :es',
        ExpressionAttributeValues: {
          ':true': true,
          ':now': now,
          ':nk': keys.nameKey,
          ':ns': keys.nameSort,
          ':ek': keys.emailKey,
          ':es': keys.emailSort,
        },
      }),
    );
  }

  /**
   * One page of confirmed users whose name (or email) starts with `prefix` (already normalised with
   * normaliseForSearch), in index order, after `after`: one Query on one partition of the sparse
   * index, reading at most `limit` items. `more` is false once the index has nothing further.
   */
  async searchByPrefix(
    field: UserSearchField,
    prefix: string,
    options: { after?: SearchPosition; limit: number },
  ): Promise<{ hits: SearchHit[]; more: boolean }> {
    const index = USER_SEARCH_INDEXES[field];
    const out = await this.db.send(
      new QueryCommand({
        TableName: await this.tableName(),
        IndexName: index.indexName,
        KeyConditionExpression: '#p = :p AND begins_with(#s, :prefix)',
        ExpressionAttributeNames: { '#p': index.partition, '#s': index.sort },
        ExpressionAttributeValues: { ':p': prefix.charAt(0), ':prefix': prefix },
        ExclusiveStartKey: options.after
          ? { [index.partition]: prefix.charAt(0), [index.sort]: options.after.sort, userId: options.after.userId }
          : undefined,
        Limit: options.limit,
      }),
    );
    const hits = (out.Items ?? []).map((item) => ({
      profile: toPublicProfile(item),
      position: { sort: item[index.sort] as string, userId: item.userId as string },
    }));
    return { hits, more: Boolean(out.LastEvaluatedKey) };
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
