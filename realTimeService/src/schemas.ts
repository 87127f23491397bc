import { fields, z, type DurableEventType } from '@chat/shared';
import { SendMessageInput } from '@chat/shared/chat/messages';

/** The actions a client may send; anything else reaches `$default`, which names these. */
export const SUPPORTED_ACTIONS = ['message', 'typing', 'ping'] as const;

/** `{"action":"message","conversationId","content","clientMessageId"}`: the same payload rules as sendMessage. */
export const MessageFrame = SendMessageInput.extend({ action: z.literal('message'), conversationId: fields.id });

export const TypingFrame = z.strictObject({
  action: z.literal('typing'),
  conversationId: fields.id,
  isTyping: z.boolean({ required_error: 'is required', invalid_type_error: 'must be true or false' }),
});

export const PingFrame = z.strictObject({ action: z.literal('ping') });

const DURABLE_EVENT_TYPES = [
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

/** A ChatEvent as it arrives from `chat-message-topic` (see shared/src/events/chat-event.ts). */
export const ChatEventMessage = z.object({
  eventId: z.string().min(1).max(128),
  type: z.enum(DURABLE_EVENT_TYPES),
  conversationId: fields.id,
  data: z.record(z.unknown()),
  correlationId: z.string().min(1).max(128),
  occurredAt: z.string(),
  recipientIds: z.array(fields.id).max(10_000).optional(),
});
