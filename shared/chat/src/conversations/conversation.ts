import * as v from 'valibot';
import type { MemberRole } from '../members/membership';

export const CONVERSATION_TYPES = ['group', 'direct'] as const;
export type ConversationType = (typeof CONVERSATION_TYPES)[number];

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** The newest visible message as the conversation list shows it to clients. */
export const LastMessagePreviewSchema = v.strictObject({
  messageId: v.string(),
  seq: count,
  senderId: v.string(),
  preview: v.string(),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
});
export type LastMessagePreview = v.InferOutput<typeof LastMessagePreviewSchema>;

/**
 * `conversations.lastMessage` as stored (written by the message use cases with each send, edit and
 * delete): the preview plus the bookkeeping that orders concurrent updates of it.
 */
export interface StoredLastMessage extends LastMessagePreview {
  editedAt?: string;
  /** The message's version when the preview was taken: an older one never overwrites a newer one. */
  version: number;
}

/** The preview without its bookkeeping: what clients may see of a stored one. */
export const visiblePreview = ({ messageId, seq, senderId, preview, createdAt }: StoredLastMessage): LastMessagePreview => ({
  messageId,
  seq,
  senderId,
  preview,
  createdAt,
});

/**
 * One item of the `conversations` table (key: conversationId).
 *
 * `lastSeq`, `lastMessage` and `lastActivityAt` belong to the message use cases' send transaction:
 * `lastSeq` is absent until the first message (its writer conditions on attribute_not_exists for
 * seq 1), and `lastActivityAt` starts as `createdAt`. Everything else is written by connectService,
 * together with the membership rows in one transaction so `memberCount` never disagrees with
 * `conversation-members-table`.
 */
export interface Conversation {
  conversationId: string;
  type: ConversationType;
  /** Groups only: a direct conversation is named after the other person, per reader. */
  name?: string;
  description?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  memberCount: number;
  /** Direct conversations only: the two user ids, sorted, joined by '#'. */
  directKey?: string;
  lastSeq: number;
  lastMessage?: StoredLastMessage;
  lastActivityAt: string;
}

/** A write was refused because what it was based on changed meanwhile: read again and decide again. */
export class ConcurrentChangeError extends Error {
  constructor(readonly reasons: string[] = []) {
    super(`Concurrent change (${reasons.join(', ') || 'condition failed'})`);
    this.name = 'ConcurrentChangeError';
  }
}

/** What the writer saw of the acting member; the write only happens if it still holds. */
export interface Actor {
  userId: string;
  role: MemberRole;
}
