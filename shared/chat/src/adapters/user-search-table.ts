import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SearchHit, SearchPosition, UserSearchField } from '../users/user';
import { SEARCH_KEYS, toPublicProfile } from './users-table';

/**
 * The sparse GSIs of `Users` that prefix search reads (declared in authService/serverless.yml),
 * by what they match on. Apart from UsersTable so that only the function that searches carries them.
 */
export const USER_SEARCH_INDEXES = {
  name: { indexName: 'nameSearchIndex', ...SEARCH_KEYS.name },
  email: { indexName: 'emailSearchIndex', ...SEARCH_KEYS.email },
} as const;

/** Prefix search over confirmed users' names and emails (connectService's searchUsers). */
export class UserSearchTable {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: () => Promise<string>,
  ) {}

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
}
