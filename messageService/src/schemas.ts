import * as v from 'valibot';
import { fields } from '@shared/platform';
import { MESSAGE_LIMITS, MessageContentField } from '@shared/chat/messages';

export { SendMessageInput } from '@shared/chat/messages';

export const EditMessageBody = v.strictObject({ content: MessageContentField });

export const ConversationPath = v.strictObject({ conversationId: fields.id });
export const MessagePath = v.strictObject({ conversationId: fields.id, messageId: fields.id });

/**
 * fetchMessage's query. `before`: the opaque nextCursor of a newest-first page. `after`: a seq;
 * newer messages oldest first (catch-up), whose nextCursor is again a seq to pass as `after`.
 */
export const FetchMessagesQuery = v.pipe(
  v.strictObject({
    limit: fields.limit(MESSAGE_LIMITS.maxPageSize, MESSAGE_LIMITS.defaultPageSize),
    before: v.optional(v.pipe(fields.cursor, v.description('the nextCursor of a newest-first page'))),
    after: v.optional(
      v.pipe(v.string(), v.regex(/^\d{1,12}$/, 'must be a message seq (a whole number)'), v.description('a seq: what came after it, oldest first'), v.transform(Number)),
    ),
  }),
  v.forward(
    v.check((query) => query.before === undefined || query.after === undefined, 'cannot be combined with before'),
    ['after'],
  ),
);
