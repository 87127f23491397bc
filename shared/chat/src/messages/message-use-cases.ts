import { createHash, randomUUID } from 'node:crypto';
import { conflict, forbidden, logger, notFound, retry, RETRY, type MetricsSink, type RetryPolicy } from '@shared/platform';
import { chatEvent, type ChatEvent, type DurableEventType, type EventPublisher } from '../events/chat-event';
import { canManageMembers, MANAGER_ROLES, type Membership } from '../members/membership';
import { decodeBeforeCursor, encodeBeforeCursor } from './cursor';
import { MESSAGE_LIMITS, messageContent, previewOf, type Message, type MessagePage, type ReadState } from './message';
import type { StoredLastMessage } from '../conversations/conversation';
import type { ConversationState, MembershipReader, MessageStore, StoredMessage } from './message-store';

export interface SendInput {
  conversationId: string;
  /** The authenticated user; never taken from a request body. */
  senderId: string;
  content: string;
  clientMessageId?: string;
  correlationId: string;
}

export interface FetchInput {
  limit?: number;
  /** Opaque cursor from a previous newest-first page. */
  before?: string;
  /** Catch-up: messages with a higher seq, oldest first. */
  after?: number;
}

export interface MessageUseCaseOptions {
  /** Send attempts when other sends keep taking the next seq; then 409 "busy, retry". */
  maxSendAttempts?: number;
  /** Time a send may spend retrying, inside the function timeout (10 s); then 409 as well. */
  sendBudgetMs?: number;
  /** Attempts for edit/delete when the message keeps changing underneath. */
  maxChangeAttempts?: number;
  clock?: () => Date;
  newId?: () => string;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const OUTBOX_BATCH = 25;

/**
 * The chat rules for messages: membership, per-conversation ordering, idempotent sends, edit and
 * delete permissions, read state, and the events every change announces. Used by messageService's
 * HTTP routes and realTimeService's WebSocket `message` route alike.
 *
 * Ordering: a send reads the conversation's `lastSeq` and stores the message as lastSeq + 1 in one
 * transaction that only commits if lastSeq is unchanged, so seqs are unique and gap-free whatever
 * the concurrency; a sender that lost the race reads again and retries with jittered backoff.
 *
 * Events are published after the write. A failed publish never undoes the write: the event goes
 * to an outbox (items in the Messages table, counted on the conversation) and is published again,
 * in order, before the next event of that conversation. Clients that missed one catch up with
 * fetch(after = last seq they saw).
 */
export class MessageUseCases {
  private readonly maxSendAttempts: number;
  private readonly sendBudgetMs: number;
  private readonly maxChangeAttempts: number;
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly store: MessageStore,
    private readonly members: MembershipReader,
    private readonly events: EventPublisher,
    private readonly metrics: MetricsSink,
    options: MessageUseCaseOptions = {},
  ) {
    this.maxSendAttempts = options.maxSendAttempts ?? 50;
    this.sendBudgetMs = options.sendBudgetMs ?? 6000;
    this.maxChangeAttempts = options.maxChangeAttempts ?? 5;
    this.clock = options.clock ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  /**
   * Stores a message as the next seq of the conversation. With a clientMessageId, a repeat of the
   * same send returns the first message (`created: false`) instead of storing another; reusing the
   * id for different content is a 409.
   */
  async send(input: SendInput): Promise<{ message: Message; created: boolean }> {
    const content = messageContent(input.content);
    const contentHash = sha256(content);
    const { conversationId, senderId, clientMessageId } = input;
    const deadline = this.clock().getTime() + this.sendBudgetMs;
    // What the last attempt learnt of the counter; undefined: read it (again).
    let conversation: ConversationState | undefined;
    const sent = await retry(this.sendRetries(() => this.clock().getTime() < deadline), async (attempt) => {
      conversation ??= await this.store.conversation(conversationId);
      if (!conversation) throw notFound('Conversation not found');
      const message: StoredMessage = {
        messageId: this.newId(),
        conversationId,
        seq: conversation.lastSeq + 1,
        senderId,
        content,
        createdAt: this.clock().toISOString(),
        clientMessageId,
        version: 1,
      };
      const outcome = await this.store.append(message, { previousSeq: conversation.lastSeq, contentHash, lastMessage: lastMessageOf(message) });
      switch (outcome.kind) {
        case 'appended':
          logger.info('message.sent', { conversationId, messageId: message.messageId, seq: message.seq, attempts: attempt });
          await this.announce(conversation, 'message.created', toMessage(message), input.correlationId);
          return { message: toMessage(message), created: true };
        case 'notMember':
          throw forbidden('You are not a member of this conversation');
        case 'duplicate':
          return { message: await this.firstSend(conversationId, outcome, contentHash), created: false };
        case 'contended':
          conversation = outcome.lastSeq === undefined ? undefined : { ...conversation, lastSeq: outcome.lastSeq };
          return RETRY;
      }
    });
    if (sent !== RETRY) return sent;
    logger.warn('message.send_busy', { conversationId });
    throw conflict('Conversation is busy; retry the send (with the same clientMessageId)');
  }

  /** History: newest first with a `before` cursor, or oldest first after a seq (`after`) for catch-up. */
  async fetch(conversationId: string, userId: string, query: FetchInput = {}): Promise<MessagePage> {
    await this.access(conversationId, userId);
    const limit = Math.min(Math.max(query.limit ?? MESSAGE_LIMITS.defaultPageSize, 1), MESSAGE_LIMITS.maxPageSize);
    if (query.after !== undefined) {
      // One more than asked tells whether another page exists without a second round trip.
      const found = await this.store.listAfter(conversationId, query.after, limit + 1);
      const items = found.slice(0, limit);
      return { items: items.map(toMessage), nextCursor: found.length > limit ? String(items[items.length - 1]!.seq) : undefined };
    }
    const before = query.before === undefined ? undefined : decodeBeforeCursor(query.before);
    const found = await this.store.listNewestFirst(conversationId, before, limit + 1);
    const items = found.slice(0, limit);
    return { items: items.map(toMessage), nextCursor: found.length > limit ? encodeBeforeCursor(items[items.length - 1]!.seq) : undefined };
  }

  async get(conversationId: string, userId: string, messageId: string): Promise<Message> {
    await this.access(conversationId, userId);
    return toMessage(await this.existing(conversationId, messageId));
  }

  /** Replaces the content of one's own message; a deleted message cannot be edited (409). */
  async edit(input: { conversationId: string; userId: string; messageId: string; content: string; correlationId: string }): Promise<Message> {
    const content = messageContent(input.content);
    const { conversationId, userId, messageId } = input;
    const edited = await retry({ attempts: this.maxChangeAttempts }, async () => {
      const { conversation } = await this.access(conversationId, userId);
      const current = await this.existing(conversationId, messageId);
      if (current.senderId !== userId) throw forbidden('Only the author can edit a message');
      if (current.deleted) throw conflict('The message was deleted and can no longer be edited');
      const editedAt = this.clock().toISOString();
      if (!(await this.store.edit(current, { content, editedAt }, { anyRole: true }))) return RETRY;
      const edited: StoredMessage = { ...current, content, editedAt, version: current.version + 1 };
      await this.refreshPreview(edited);
      logger.info('message.edited', { conversationId, messageId, seq: edited.seq });
      await this.announce(conversation, 'message.edited', toMessage(edited), input.correlationId);
      return toMessage(edited);
    });
    if (edited === RETRY) throw conflict('The message is being changed by someone else; retry');
    return edited;
  }

  /**
   * Deletes a message, leaving a tombstone in history. The author or an owner/admin may delete;
   * deleting a deleted message answers with the tombstone again (and announces nothing).
   */
  async delete(input: { conversationId: string; userId: string; messageId: string; correlationId: string }): Promise<Message> {
    const { conversationId, userId, messageId } = input;
    const deleted = await retry({ attempts: this.maxChangeAttempts }, async () => {
      const { conversation, membership } = await this.access(conversationId, userId);
      const current = await this.existing(conversationId, messageId);
      if (current.deleted) return toMessage(current);
      const asAuthor = current.senderId === userId;
      if (!asAuthor && !canManageMembers(membership.role)) throw forbidden('Only the author or a conversation owner/admin can delete a message');
      const deletedAt = this.clock().toISOString();
      const who = asAuthor ? { anyRole: true as const } : { roles: MANAGER_ROLES };
      if (!(await this.store.tombstone(current, { deletedBy: userId, deletedAt }, who))) return RETRY;
      const tombstone: StoredMessage = { ...current, content: null, deleted: true, deletedAt, deletedBy: userId, version: current.version + 1 };
      await this.repairPreview(tombstone);
      logger.info('message.deleted', { conversationId, messageId, seq: tombstone.seq, byAuthor: asAuthor });
      await this.announce(
        conversation,
        'message.deleted',
        { messageId, conversationId, seq: tombstone.seq, senderId: tombstone.senderId, deletedAt, deletedBy: userId },
        input.correlationId,
      );
      return toMessage(tombstone);
    });
    if (deleted === RETRY) throw conflict('The message is being changed by someone else; retry');
    return deleted;
  }

  /** Records that the caller has read up to this message; a read position never moves backwards. */
  async markRead(input: { conversationId: string; userId: string; messageId: string; correlationId: string }): Promise<ReadState> {
    const { conversationId, userId, messageId } = input;
    const { conversation } = await this.access(conversationId, userId);
    const message = await this.existing(conversationId, messageId);
    const readAt = this.clock().toISOString();
    const outcome = await this.store.advanceReadState(conversationId, userId, message.seq, readAt);
    if (outcome.kind === 'notMember') throw forbidden('You are not a member of this conversation');
    if (outcome.kind === 'moved') {
      await this.announce(conversation, 'message.read', { userId, messageId, lastReadSeq: message.seq, readAt }, input.correlationId);
    }
    return outcome.state;
  }

  /** 404 for a conversation that does not exist, 403 for a non-member; both read strongly consistent. */
  private async access(conversationId: string, userId: string): Promise<{ conversation: ConversationState; membership: Membership }> {
    const [conversation, membership] = await Promise.all([this.store.conversation(conversationId), this.members.get(conversationId, userId)]);
    if (!conversation) throw notFound('Conversation not found');
    if (!membership) throw forbidden('You are not a member of this conversation');
    return { conversation, membership };
  }

  private async existing(conversationId: string, messageId: string): Promise<StoredMessage> {
    const message = await this.store.getById(conversationId, messageId);
    if (!message) throw notFound('Message not found');
    return message;
  }

  private async firstSend(conversationId: string, pointer: { seq: number; contentHash?: string }, contentHash: string): Promise<Message> {
    if (pointer.contentHash && pointer.contentHash !== contentHash) {
      throw conflict('clientMessageId was already used for a different message');
    }
    const first = await this.store.getBySeq(conversationId, pointer.seq);
    if (!first) throw new Error(`idempotency key points at missing seq ${pointer.seq} in ${conversationId}`);
    return toMessage(first);
  }

  /** An edit of the message the conversation list shows updates the preview too. */
  private async refreshPreview(edited: StoredMessage): Promise<void> {
    const conversation = await this.store.conversation(edited.conversationId);
    if (conversation?.lastMessage?.messageId !== edited.messageId) return;
    await this.store.refreshLastMessage(edited.conversationId, lastMessageOf(edited));
  }

  /**
   * When the deleted message is the one the conversation list shows, the preview falls back to the
   * newest message still visible (none: no preview), as it would had the message never been sent.
   * The conversation's activity time stays put so a deletion does not reorder anyone's list.
   */
  private async repairPreview(deleted: StoredMessage): Promise<void> {
    const repaired = await retry({ attempts: this.maxChangeAttempts }, async () => {
      const conversation = await this.store.conversation(deleted.conversationId);
      if (conversation?.lastMessage?.messageId !== deleted.messageId) return true;
      const fallback = await this.store.newestVisibleBefore(deleted.conversationId, deleted.seq);
      const outcome = await this.store.replaceLastMessage(deleted.conversationId, deleted.messageId, fallback && lastMessageOf(fallback));
      return outcome === 'candidateChanged' ? RETRY : true;
    });
    if (repaired === RETRY) logger.warn('message.preview_not_repaired', { conversationId: deleted.conversationId, messageId: deleted.messageId });
  }

  /**
   * Publishes an event for a write that has already succeeded; never throws. Older undelivered
   * events of the conversation go first so clients see changes in order where possible.
   */
  private async announce(conversation: ConversationState, type: DurableEventType, data: object, correlationId: string): Promise<void> {
    if (conversation.pendingEvents > 0) await this.flushUndelivered(conversation.conversationId);
    const event = chatEvent(type, conversation.conversationId, { ...data }, correlationId);
    try {
      await this.events.publish(event);
    } catch (err) {
      this.metrics.count('EventPublishFailures');
      logger.error('event.publish_failed', { eventType: type, eventId: event.eventId, conversationId: event.conversationId, error: err });
      await this.keepForRedelivery(event);
    }
  }

  private async keepForRedelivery(event: ChatEvent): Promise<void> {
    try {
      await this.store.saveUndelivered(event);
      logger.warn('event.kept_in_outbox', { eventType: event.type, eventId: event.eventId, conversationId: event.conversationId });
    } catch (err) {
      // Both SNS and DynamoDB failed: only the clients' catch-up (fetch after=seq) recovers this one.
      logger.error('event.lost', { eventType: event.type, eventId: event.eventId, conversationId: event.conversationId, error: err });
    }
  }

  private async flushUndelivered(conversationId: string): Promise<void> {
    try {
      for (const { key, event } of await this.store.undelivered(conversationId, OUTBOX_BATCH)) {
        await this.events.publish(event);
        // Another container may have published it at the same moment: delivery is at least once and
        // events carry eventId, so a duplicate is harmless, but it must only be counted off once.
        await this.store.markDelivered(conversationId, key);
        this.metrics.count('EventsRedelivered');
        logger.info('event.redelivered', { eventType: event.type, eventId: event.eventId, conversationId });
      }
    } catch (err) {
      this.metrics.count('EventPublishFailures');
      logger.error('event.redelivery_failed', { conversationId, error: err });
    }
  }

  /**
   * Exponential backoff with full jitter: contending senders spread out more the longer they
   * collide, so a hot conversation keeps committing instead of everyone retrying in lockstep.
   */
  private sendRetries(keepTrying: () => boolean): RetryPolicy {
    return {
      attempts: this.maxSendAttempts,
      backoff: { baseMs: 10, capMs: 1000 },
      keepTrying,
      onRetry: () => this.metrics.count('MessageSendRetries'),
      sleep: this.sleep,
      random: this.random,
    };
  }
}

/** The client's view of a stored message: internal fields dropped, tombstones without content. */
export function toMessage(m: StoredMessage): Message {
  const out: Message = {
    messageId: m.messageId,
    conversationId: m.conversationId,
    seq: m.seq,
    senderId: m.senderId,
    content: m.deleted ? null : m.content,
    createdAt: m.createdAt,
  };
  if (m.editedAt) out.editedAt = m.editedAt;
  if (m.deleted) {
    out.deleted = true;
    out.deletedAt = m.deletedAt;
  }
  if (m.clientMessageId) out.clientMessageId = m.clientMessageId;
  return out;
}

export function lastMessageOf(m: StoredMessage): StoredLastMessage {
  const last: StoredLastMessage = {
    messageId: m.messageId,
    seq: m.seq,
    senderId: m.senderId,
    preview: previewOf(m.content ?? ''),
    createdAt: m.createdAt,
    version: m.version,
  };
  if (m.editedAt) last.editedAt = m.editedAt;
  return last;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');
