import * as v from 'valibot';
import { fields } from '@shared/platform';
import { type DurableEventType } from '@shared/chat/events/chat-event';
import { SendMessageInput } from '@shared/chat/messages';

/** The actions a client may send; anything else reaches `$default`, which names these. */
export const SUPPORTED_ACTIONS = ['message', 'typing', 'ping'] as const;

/** `{"action":"message","conversationId","content","clientMessageId"}`: the same payload rules as sendMessage. */
export const MessageFrame = v.strictObject({ ...SendMessageInput.entries, action: v.literal('message'), conversationId: fields.id });

export const TypingFrame = v.strictObject({
  action: v.literal('typing'),
  conversationId: fields.id,
  isTyping: v.boolean(),
});

export const PingFrame = v.strictObject({ action: v.literal('ping') });

export const DURABLE_EVENT_TYPES = [
  'message.created',
  'message.edited',
  'message.deleted',
  'message.read',
  'conversation.created',
  'conversation.updated',
  'conversation.deleted',
  'member.added',
  'member.removed',
] as const satisfies readonly DurableEventType[];

/** A ChatEvent as it arrives from `chat-message-topic` (see shared/chat/src/events/chat-event.ts). */
export const ChatEventMessage = v.object({
  eventId: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  type: v.picklist(DURABLE_EVENT_TYPES),
  conversationId: fields.id,
  data: v.record(v.string(), v.unknown()),
  correlationId: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  occurredAt: v.string(),
  recipientIds: v.optional(v.pipe(v.array(fields.id), v.maxLength(10_000))),
});
