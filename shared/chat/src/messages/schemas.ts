import * as v from 'valibot';
import { fields } from '@shared/platform/validation';
import { MESSAGE_LIMITS } from './message';

/*
 * The send payload, shared by sendMessage's body and the WebSocket `message` frame so both validate
 * alike. Content rules that need their own status (413 for too long) are applied by the use cases
 * (see messageContent), so they hold whichever way a message arrives.
 */

/** Message content as it arrives; trimmed and checked by messageContent(). */
export const MessageContentField = v.pipe(
  v.string(),
  v.description(`1 to ${MESSAGE_LIMITS.maxContentChars} characters after trimming (413 beyond); line breaks and tabs, no other control characters`),
);

/** `{content, clientMessageId?}`: the body of sendMessage and the payload of a `message` frame. */
export const SendMessageInput = v.strictObject({
  content: MessageContentField,
  /** The client's own id for this send; a retry with the same one returns the first message. */
  clientMessageId: v.optional(fields.id),
});
export type SendMessageInput = v.InferOutput<typeof SendMessageInput>;
