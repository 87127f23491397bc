import type { ChatEvent } from '../events/chat-event';
import type { Membership, MemberRole } from '../members/membership';
import type { StoredLastMessage } from '../conversations/conversation';
import type { Message, ReadState } from './message';

/** A message as stored: what clients see plus the version that guards concurrent edits and deletes. */
export interface StoredMessage extends Message {
  /** 1 when sent, +1 per edit or delete; every change is conditional on the version it read. */
  version: number;
  deletedBy?: string;
}

/** The parts of a `conversations` item that the message use cases read. */
export interface ConversationState {
  conversationId: string;
  /** The message counter: the highest seq handed out (0 before the first message). */
  lastSeq: number;
  lastMessage?: StoredLastMessage;
  /** Events whose publication failed and that wait in the outbox (see MessageUseCases). */
  pendingEvents: number;
}

export type AppendOutcome =
  | { kind: 'appended' }
  /**
   * Another send took this seq first, or the transaction collided: retry with the counter the
   * failed write saw (`lastSeq`), or read it again when unknown.
   */
  | { kind: 'contended'; lastSeq?: number }
  | { kind: 'notMember' }
  /** The sender already sent this clientMessageId in this conversation. */
  | { kind: 'duplicate'; seq: number; contentHash?: string };

export type ReadOutcome = { kind: 'moved'; state: ReadState } | { kind: 'behind'; state: ReadState } | { kind: 'notMember' };

export type ReplaceOutcome = 'replaced' | 'superseded' | 'candidateChanged';

/** Who is allowed a change, re-checked atomically with the write against the members table. */
export type MemberRequirement = { anyRole: true } | { roles: readonly MemberRole[] };

/** An event that could not be published yet, kept until a later write in the conversation retries it. */
export interface UndeliveredEvent {
  key: string;
  event: ChatEvent;
}

/**
 * Storage of messages, their order, idempotency keys, read state and undelivered events. The
 * DynamoDB adapter is DynamoMessageStore; unit tests use an in-memory one.
 *
 * Every write is conditional on what the caller read (a seq, a version), so use cases read,
 * decide, and write "if still as I saw it", retrying on a false answer.
 */
export interface MessageStore {
  /** The conversation's counter and preview, read strongly consistent; undefined if it does not exist. */
  conversation(conversationId: string): Promise<ConversationState | undefined>;

  /**
   * Stores `message` with seq = previousSeq + 1 in one transaction: advance the counter (only if it
   * is still previousSeq), check the sender is a member, put the message and, when given, its
   * idempotency key.
   */
  append(message: StoredMessage, options: { previousSeq: number; contentHash: string; lastMessage: StoredLastMessage }): Promise<AppendOutcome>;

  getBySeq(conversationId: string, seq: number): Promise<StoredMessage | undefined>;
  /** Strongly consistent lookup by id. */
  getById(conversationId: string, messageId: string): Promise<StoredMessage | undefined>;
  /** Messages with seq < beforeSeq (all when undefined), newest first. */
  listNewestFirst(conversationId: string, beforeSeq: number | undefined, limit: number): Promise<StoredMessage[]>;
  /** Messages with seq > afterSeq, oldest first. */
  listAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  /** The newest message below `seq` that is not deleted. */
  newestVisibleBefore(conversationId: string, seq: number): Promise<StoredMessage | undefined>;

  /** Replaces the content if the message is still at `expectedVersion`, not deleted, by `authorId`, and the author still a member. */
  edit(message: StoredMessage, change: { content: string; editedAt: string }, who: MemberRequirement): Promise<boolean>;
  /** Turns the message into a tombstone if still at `version` and not deleted, and `deletedBy` still qualifies. */
  tombstone(message: StoredMessage, change: { deletedBy: string; deletedAt: string }, who: MemberRequirement): Promise<boolean>;

  /** Sets the preview to `next` (or removes it) if it still shows `expectedMessageId` and `next` is unchanged. */
  replaceLastMessage(conversationId: string, expectedMessageId: string, next: StoredLastMessage | undefined): Promise<ReplaceOutcome>;
  /** Updates the preview of the message it already shows, unless it shows a newer version. */
  refreshLastMessage(conversationId: string, lastMessage: StoredLastMessage): Promise<void>;

  /** Moves the member's read position forward to `seq` (never backwards). */
  advanceReadState(conversationId: string, userId: string, seq: number, readAt: string): Promise<ReadOutcome>;

  /** Keeps an event whose publication failed and counts it on the conversation. */
  saveUndelivered(event: ChatEvent): Promise<void>;
  undelivered(conversationId: string, limit: number): Promise<UndeliveredEvent[]>;
  /** Removes a delivered event; false when another container removed it first. */
  markDelivered(conversationId: string, key: string): Promise<boolean>;
}

/** Reads a caller's membership (strongly consistent): MembersTable. */
export interface MembershipReader {
  get(conversationId: string, userId: string): Promise<Membership | undefined>;
}
