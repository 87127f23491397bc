import * as v from 'valibot';
import { badRequest, payloadTooLarge } from '@shared/platform/errors';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const time = v.pipe(v.string(), v.isoTimestamp());

/** One message of a conversation's history, as clients see it (HTTP answers and event data). */
export const MessageSchema = v.strictObject({
  messageId: v.string(),
  conversationId: v.string(),
  seq: v.pipe(count, v.description('1, 2, 3 … per conversation, no gaps among stored messages')),
  senderId: v.string(),
  content: v.pipe(v.nullable(v.string()), v.description('null once deleted (a tombstone)')),
  createdAt: time,
  editedAt: v.optional(time),
  deleted: v.optional(v.boolean()),
  deletedAt: v.optional(time),
  clientMessageId: v.optional(v.string()),
});
export type Message = v.InferOutput<typeof MessageSchema>;

/** A page of history plus the cursor for the next one (absent at the end). */
export const MessagePageSchema = v.strictObject({ items: v.array(MessageSchema), nextCursor: v.pipe(v.optional(v.string()), v.description('absent at the end')) });
export type MessagePage = v.InferOutput<typeof MessagePageSchema>;

/** Someone's read position in a conversation (never moves backwards). */
export const ReadStateSchema = v.strictObject({ conversationId: v.string(), userId: v.string(), lastReadSeq: count, lastReadAt: v.optional(time) });
export type ReadState = v.InferOutput<typeof ReadStateSchema>;

export const MESSAGE_LIMITS = {
  /** Characters (Unicode code points) of content after trimming. More is 413. */
  maxContentChars: 4000,
  /** Largest request body the HTTP routes accept; 4000 four-byte characters plus JSON overhead fit. */
  maxBodyBytes: 32 * 1024,
  /** Characters of content kept as the conversation's last-message preview. */
  previewChars: 200,
  defaultPageSize: 50,
  maxPageSize: 100,
} as const;

// Line breaks and tabs are text; other C0/C1 controls, DEL and lone surrogates are not, and would
// break clients that render or re-encode the content.
const FORBIDDEN = /(?![\t\n\r])\p{Cc}|\p{Cs}/u;

/**
 * The content rules of send and edit, in one place for HTTP and WebSocket alike: trimmed, 1 to
 * `maxContentChars` characters (413 beyond), no control characters (400).
 */
export function messageContent(raw: string): string {
  const content = raw.trim();
  if (content.length === 0) throw badRequest('content: must not be empty', 'content');
  if (FORBIDDEN.test(content)) throw badRequest('content: must not contain control characters', 'content');
  if (codePoints(content) > MESSAGE_LIMITS.maxContentChars) {
    throw payloadTooLarge(`content: must be at most ${MESSAGE_LIMITS.maxContentChars} characters`, 'content');
  }
  return content;
}

/** The start of a message as the conversation list shows it, cut on a character boundary. */
export function previewOf(content: string): string {
  const chars = [...content];
  return chars.length <= MESSAGE_LIMITS.previewChars ? content : `${chars.slice(0, MESSAGE_LIMITS.previewChars - 1).join('')}…`;
}

function codePoints(text: string): number {
  // Fast path: no string of this many UTF-16 units can be short enough in code points to matter.
  if (text.length <= MESSAGE_LIMITS.maxContentChars) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}
