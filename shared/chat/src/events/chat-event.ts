import { randomUUID } from 'node:crypto';

/**
 * Every durable event type, once: what it carries and to whom (the WebSocket document is generated
 * from these words), and whether it changes who belongs where (the fan-out's cached member and
 * conversation lists go stale with it). Durable events travel through SNS `chat-message-topic`
 * to snsFanoutHandler; a type missing here cannot be published or delivered.
 */
export const DURABLE_EVENTS = {
  'message.created': { membershipChange: false, description: 'A new message (messageId, seq, senderId, content, createdAt, clientMessageId?), to every member' },
  'message.edited': { membershipChange: false, description: 'An edited message, to every member' },
  'message.deleted': { membershipChange: false, description: 'A deleted message (messageId, seq, senderId, deletedAt, deletedBy), to every member' },
  'message.read': { membershipChange: false, description: 'A member read up to a message (userId, messageId, lastReadSeq), to every member' },
  'conversation.created': { membershipChange: true, description: 'A conversation the user is in was created, to its members' },
  'conversation.updated': { membershipChange: false, description: 'A conversation was renamed or re-described, to its members' },
  'conversation.deleted': { membershipChange: true, description: 'A conversation was deleted, to its former members' },
  'member.added': { membershipChange: true, description: 'A member joined, to the members including the new one' },
  'member.removed': { membershipChange: true, description: 'A member left or was removed, to the members and the removed one' },
} as const satisfies Record<string, { membershipChange: boolean; description: string }>;

export type DurableEventType = keyof typeof DURABLE_EVENTS;
export const DURABLE_EVENT_TYPES = Object.keys(DURABLE_EVENTS) as DurableEventType[];

export interface ChatEvent<T = Record<string, unknown>> {
  /** Unique per event, so consumers can drop duplicates of an at-least-once delivery. */
  eventId: string;
  type: DurableEventType;
  conversationId: string;
  data: T;
  correlationId: string;
  occurredAt: string;
  /**
   * Who receives it. Absent: the conversation's current members. Present when the audience is
   * not (or no longer) the member list, e.g. a removed member or a deleted conversation.
   */
  recipientIds?: string[];
}

export function chatEvent<T extends Record<string, unknown>>(
  type: DurableEventType,
  conversationId: string,
  data: T,
  correlationId: string,
  recipientIds?: string[],
): ChatEvent<T> {
  return { eventId: randomUUID(), type, conversationId, data, correlationId, occurredAt: new Date().toISOString(), recipientIds };
}

/** Where use cases hand their events for delivery (SnsEventPublisher in production). */
export interface EventPublisher {
  publish(event: ChatEvent): Promise<void>;
}
