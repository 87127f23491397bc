import { fields, z } from '../../validation';
import { MESSAGE_LIMITS } from './message';

/*
 * Request shapes shared by the HTTP routes and the WebSocket `message` route. Content rules that
 * need their own status (413 for too long) are applied by the use cases (see messageContent), so
 * the same rules hold whichever way a message arrives.
 */

const content = z.string({ required_error: 'is required', invalid_type_error: 'must be a string' });

/** `{content, clientMessageId?}`: the body of sendMessage and the payload of a `message` frame. */
export const SendMessageInput = z.strictObject({
  content,
  /** The client's own id for this send; a retry with the same one returns the first message. */
  clientMessageId: fields.id.optional(),
});
export type SendMessageInput = z.infer<typeof SendMessageInput>;

export const EditMessageInput = z.strictObject({ content });
export type EditMessageInput = z.infer<typeof EditMessageInput>;

export const ConversationPath = z.strictObject({ conversationId: fields.id });
export const MessagePath = z.strictObject({ conversationId: fields.id, messageId: fields.id });

/**
 * fetchMessage's query: `before` is an opaque cursor from a previous page; `after` a seq (catch-up,
 * oldest first). Only one of them at a time.
 */
export const FetchMessagesQuery = z
  .strictObject({
    limit: fields.limit(MESSAGE_LIMITS.maxPageSize, MESSAGE_LIMITS.defaultPageSize),
    before: fields.cursor.optional(),
    after: z
      .string()
      .regex(/^\d{1,12}$/, 'must be a message seq (a whole number)')
      .transform(Number)
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.before !== undefined && q.after !== undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['after'], message: 'cannot be combined with before' });
    }
  });
export type FetchMessagesQuery = z.infer<typeof FetchMessagesQuery>;
