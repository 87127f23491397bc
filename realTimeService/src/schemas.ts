import * as v from 'valibot';
import { fields } from '@shared/platform';
import { DURABLE_EVENT_TYPES } from '@shared/chat';
import { SendMessageInput } from '@shared/chat/messages';
import { TYPING_LIMITS } from './typing';

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

/** The frames realTimeService sends besides durable events: what each carries, and to whom (the WebSocket document says this). */
export const SERVER_FRAMES = {
  typing: `{conversationId, userId, isTyping}, to the other members (never the typist); \`isTyping: true\` lapses into false after ${TYPING_LIMITS.ttlMs / 1000} s`,
  presence: '{userId, status: online|offline, at}, to everyone who shares a conversation with the user',
  ack: "{clientMessageId, messageId, seq, conversationId}, to the sender's connection, answering its `message` frame",
  pong: '{}, answering `ping`',
  error: '{code, message, field?, requestId, action?, clientMessageId?}, to the connection whose frame failed',
} as const;

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
