import type { AuthenticatedUser } from '@shared/platform';
import type { ConnectionGateway, Post, PostOutcome } from '../../src/ports';

/** Members per conversation and connections per user, recording every invalidation. */
export class FakeAudience {
  members = new Map<string, string[]>();
  conversations = new Map<string, string[]>();
  connections = new Map<string, string[]>();
  forgotten: string[] = [];
  async membersOf(conversationId: string) {
    return this.members.get(conversationId) ?? [];
  }
  async membersOfMany(conversationIds: readonly string[]) {
    return new Map(conversationIds.map((id) => [id, this.members.get(id) ?? []]));
  }
  async conversationsOf(userId: string) {
    return this.conversations.get(userId) ?? [];
  }
  async connectionsOf(userIds: readonly string[]) {
    return new Map(userIds.map((id) => [id, this.connections.get(id) ?? []]));
  }
  async forgetMembers(conversationId: string) {
    this.forgotten.push(`members:${conversationId}`);
  }
  async forgetConversations(userIds: readonly string[]) {
    this.forgotten.push(...userIds.map((id) => `conversations:${id}`));
  }
  async forgetConnections(userId: string) {
    this.forgotten.push(`connections:${userId}`);
  }
}

/** PostToConnection that answers per connection id and records what it was sent. */
export class FakeGateway implements ConnectionGateway {
  outcomes = new Map<string, PostOutcome>();
  posted: { connectionId: string; frame: any }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  posters = 0;
  async poster(): Promise<Post> {
    this.posters++;
    return (connectionId, payload) => this.post(connectionId, payload);
  }
  private async post(connectionId: string, payload: Uint8Array): Promise<PostOutcome> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight--;
    this.posted.push({ connectionId, frame: JSON.parse(Buffer.from(payload).toString('utf8')) });
    return this.outcomes.get(connectionId) ?? 'delivered';
  }
}

export const user = (userId: string): AuthenticatedUser => ({ userId, tokenUse: 'access', issuedAt: 1_700_000_000, expiresAt: 1_700_003_600 });
