import { MembersTable } from './members-table';
import type { Membership } from '../members/membership';

/** The GSI that lists a user's memberships without a Scan (key: userId + conversationId). */
export const USER_CONVERSATIONS_INDEX = 'userConversationsIndex';

/**
 * `conversation-members-table` with its per-user index too, for the few functions that list a
 * user's conversations (getConversations, presence). Apart from MembersTable, and imported by
 * path, so that only those functions carry the index (and need it granted).
 */
export class MembersByUserTable extends MembersTable {
  /** Every conversation a user belongs to (one paginated Query on the user index). */
  async listUserConversations(userId: string): Promise<Membership[]> {
    return this.queryAll({
      TableName: await this.tableName(),
      IndexName: USER_CONVERSATIONS_INDEX,
      KeyConditionExpression: 'userId = :u',
      ExpressionAttributeValues: { ':u': userId },
    });
  }
}
