import { fields, z } from '@chat/shared';
import { MESSAGE_LIMITS, MessageContentField } from '@chat/shared/chat/messages';

export { SendMessageInput } from '@chat/shared/chat/messages';

export const EditMessageBody = z.strictObject({ content: MessageContentField });

export const ConversationPath = z.strictObject({ conversationId: fields.id });
export const MessagePath = z.strictObject({ conversationId: fields.id, messageId: fields.id });

/**
 * fetchMessage's query. `before`: the opaque nextCursor of a newest-first page. `after`: a seq;
 * newer messages oldest first (catch-up), whose nextCursor is again a seq to pass as `after`.
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
