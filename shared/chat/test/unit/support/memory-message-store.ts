import type { ChatEvent, Membership, StoredLastMessage } from '@shared/chat';
import type {
  AppendOutcome,
  ConversationState,
  MemberRequirement,
  MembershipReader,
  MessageStore,
  ReadOutcome,
  ReplaceOutcome,
  StoredMessage,
  UndeliveredEvent,
} from '@shared/chat/messages';

/**
 * MessageStore in memory with the same conditional semantics as the DynamoDB adapter, plus
 * switches to inject what is hard to provoke against a real table (lost races, failing writes).
 */
export class MemoryMessageStore implements MessageStore, MembershipReader {
  readonly conversations = new Map<string, ConversationState>();
  readonly members = new Map<string, Membership>();
  readonly messages = new Map<string, StoredMessage>();
  readonly clientMessages = new Map<string, { seq: number; contentHash: string }>();
  readonly outbox = new Map<string, UndeliveredEvent>();
  /** How many of the next appends lose the race for the seq (another sender takes it first). */
  loseNextAppends = 0;
  failSaveUndelivered = false;
  /** Called before a change commits: lets a test change the message "concurrently". */
  beforeChange?: (message: StoredMessage) => void;

  addConversation(conversationId: string, members: [string, Membership['role']][]): void {
    this.conversations.set(conversationId, { conversationId, lastSeq: 0, pendingEvents: 0 });
    for (const [userId, role] of members) this.members.set(`${conversationId}|${userId}`, { conversationId, userId, role, joinedAt: 'then', lastReadSeq: 0 });
  }

  async get(conversationId: string, userId: string): Promise<Membership | undefined> {
    const m = this.members.get(`${conversationId}|${userId}`);
    return m && { ...m };
  }

  async conversation(conversationId: string): Promise<ConversationState | undefined> {
    const c = this.conversations.get(conversationId);
    return c && structuredClone(c);
  }

  async append(message: StoredMessage, options: { previousSeq: number; contentHash: string; lastMessage: StoredLastMessage }): Promise<AppendOutcome> {
    const c = this.conversations.get(message.conversationId);
    if (!c) return { kind: 'contended' };
    if (!this.members.has(`${message.conversationId}|${message.senderId}`)) return { kind: 'notMember' };
    const cmidKey = `${message.conversationId}|${message.senderId}|${message.clientMessageId}`;
    if (message.clientMessageId && this.clientMessages.has(cmidKey)) return { kind: 'duplicate', ...this.clientMessages.get(cmidKey)! };
    if (this.loseNextAppends > 0) {
      this.loseNextAppends--;
      // Someone else's message takes the seq.
      const other: StoredMessage = { ...message, messageId: `other-${c.lastSeq + 1}`, seq: c.lastSeq + 1, senderId: 'someone-else', clientMessageId: undefined };
      this.messages.set(this.key(other.conversationId, other.seq), other);
      c.lastSeq++;
      return { kind: 'contended', lastSeq: c.lastSeq };
    }
    if (c.lastSeq !== options.previousSeq) return { kind: 'contended', lastSeq: c.lastSeq };
    c.lastSeq = message.seq;
    c.lastMessage = options.lastMessage;
    this.messages.set(this.key(message.conversationId, message.seq), structuredClone(message));
    if (message.clientMessageId) this.clientMessages.set(cmidKey, { seq: message.seq, contentHash: options.contentHash });
    return { kind: 'appended' };
  }

  async getBySeq(conversationId: string, seq: number): Promise<StoredMessage | undefined> {
    const m = this.messages.get(this.key(conversationId, seq));
    return m && structuredClone(m);
  }

  async getById(conversationId: string, messageId: string): Promise<StoredMessage | undefined> {
    const m = [...this.messages.values()].find((x) => x.conversationId === conversationId && x.messageId === messageId);
    return m && structuredClone(m);
  }

  async listNewestFirst(conversationId: string, beforeSeq: number | undefined, limit: number): Promise<StoredMessage[]> {
    return this.of(conversationId)
      .filter((m) => beforeSeq === undefined || m.seq < beforeSeq)
      .sort((a, b) => b.seq - a.seq)
      .slice(0, limit);
  }

  async listAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    return this.of(conversationId)
      .filter((m) => m.seq > afterSeq)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
  }

  async newestVisibleBefore(conversationId: string, seq: number): Promise<StoredMessage | undefined> {
    return (await this.listNewestFirst(conversationId, seq, Number.MAX_SAFE_INTEGER)).find((m) => !m.deleted);
  }

  async edit(message: StoredMessage, change: { content: string; editedAt: string }, who: MemberRequirement): Promise<boolean> {
    this.beforeChange?.(message);
    const current = this.messages.get(this.key(message.conversationId, message.seq));
    if (!current || current.version !== message.version || current.deleted || !this.qualifies(message.conversationId, message.senderId, who)) return false;
    Object.assign(current, change, { version: current.version + 1 });
    return true;
  }

  async tombstone(message: StoredMessage, change: { deletedBy: string; deletedAt: string }, who: MemberRequirement): Promise<boolean> {
    this.beforeChange?.(message);
    const current = this.messages.get(this.key(message.conversationId, message.seq));
    if (!current || current.version !== message.version || current.deleted || !this.qualifies(message.conversationId, change.deletedBy, who)) return false;
    Object.assign(current, change, { content: null, deleted: true, version: current.version + 1 });
    return true;
  }

  async replaceLastMessage(conversationId: string, expectedMessageId: string, next: StoredLastMessage | undefined): Promise<ReplaceOutcome> {
    const c = this.conversations.get(conversationId);
    if (c?.lastMessage?.messageId !== expectedMessageId) return 'superseded';
    if (next) {
      const candidate = this.messages.get(this.key(conversationId, next.seq));
      if (!candidate || candidate.deleted || candidate.version !== next.version) return 'candidateChanged';
    }
    c.lastMessage = next;
    return 'replaced';
  }

  async refreshLastMessage(conversationId: string, lastMessage: StoredLastMessage): Promise<void> {
    const c = this.conversations.get(conversationId);
    if (c?.lastMessage?.messageId === lastMessage.messageId && c.lastMessage.version < lastMessage.version) c.lastMessage = lastMessage;
  }

  async advanceReadState(conversationId: string, userId: string, seq: number, readAt: string): Promise<ReadOutcome> {
    const m = this.members.get(`${conversationId}|${userId}`);
    if (!m) return { kind: 'notMember' };
    const state = () => ({ conversationId, userId, lastReadSeq: m.lastReadSeq, lastReadAt: m.lastReadAt });
    if (m.lastReadSeq >= seq) return { kind: 'behind', state: state() };
    m.lastReadSeq = seq;
    m.lastReadAt = readAt;
    return { kind: 'moved', state: state() };
  }

  async saveUndelivered(event: ChatEvent): Promise<void> {
    if (this.failSaveUndelivered) throw new Error('DynamoDB is down too');
    const key = `OUTBOX#${event.occurredAt}#${event.eventId}`;
    this.outbox.set(key, { key, event: structuredClone(event) });
    this.conversations.get(event.conversationId)!.pendingEvents++;
  }

  async undelivered(conversationId: string, limit: number): Promise<UndeliveredEvent[]> {
    return [...this.outbox.values()]
      .filter((u) => u.event.conversationId === conversationId)
      .sort((a, b) => a.key.localeCompare(b.key))
      .slice(0, limit);
  }

  async markDelivered(conversationId: string, key: string): Promise<boolean> {
    if (!this.outbox.delete(key)) return false;
    this.conversations.get(conversationId)!.pendingEvents--;
    return true;
  }

  private qualifies(conversationId: string, userId: string, who: MemberRequirement): boolean {
    const m = this.members.get(`${conversationId}|${userId}`);
    return Boolean(m) && ('anyRole' in who || who.roles.includes(m!.role));
  }

  private of(conversationId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.conversationId === conversationId).map((m) => structuredClone(m));
  }

  private key(conversationId: string, seq: number): string {
    return `${conversationId}|${seq}`;
  }
}
