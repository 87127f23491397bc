import * as v from 'valibot';

/*
 * What the HTTP routes answer, as schemas: the API documents are generated from them, and the
 * documentation test (scripts/docs/test/integration) holds every live answer of the local stack to
 * them, strictly (an undocumented field fails it). They describe; the services do not import them.
 */

const text = v.string();
const time = v.pipe(v.string(), v.isoTimestamp());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const role = v.picklist(['member', 'admin', 'owner']);

export const UserProfile = v.strictObject({ userId: text, email: text, fullName: text, confirmed: v.boolean(), createdAt: time, updatedAt: time });

export const SignedUp = v.strictObject({ userId: text, email: text, confirmed: v.literal(false) });
export const Confirmed = v.strictObject({ email: text, confirmed: v.literal(true) });
export const CodeSent = v.strictObject({ email: text, sent: v.literal(true) });
export const SignedIn = v.strictObject({
  accessToken: text,
  idToken: text,
  refreshToken: text,
  expiresIn: v.pipe(count, v.description('seconds until the access and id tokens expire')),
  tokenType: text,
  user: v.optional(UserProfile),
});

export const LastMessagePreview = v.strictObject({ messageId: text, seq: count, senderId: text, preview: text, createdAt: time, deleted: v.optional(v.boolean()) });

export const Conversation = v.strictObject({
  conversationId: text,
  type: v.picklist(['group', 'direct']),
  name: v.pipe(text, v.description("a group's name; for a direct conversation, the other person's")),
  description: v.optional(text),
  createdBy: text,
  createdAt: time,
  updatedAt: time,
  memberCount: count,
  lastActivityAt: time,
  lastSeq: count,
  lastMessage: v.nullable(LastMessagePreview),
  role: v.pipe(role, v.description("the reader's role")),
  lastReadSeq: count,
  unreadCount: count,
  unreadCountCapped: v.optional(v.pipe(v.literal(true), v.description('present when unreadCount stopped at the cap: "at least"'))),
  otherUser: v.optional(v.strictObject({ userId: text, fullName: text })),
});
export const ConversationPage = v.strictObject({ items: v.array(Conversation), nextCursor: v.nullable(text) });

export const Member = v.strictObject({ conversationId: text, userId: text, fullName: text, role, joinedAt: time, lastReadSeq: count });
export const MemberList = v.strictObject({ items: v.array(Member) });

export const FoundUser = v.strictObject({ userId: text, fullName: text, email: text });
export const UserPage = v.strictObject({ items: v.array(FoundUser), nextCursor: v.nullable(text) });

export const Message = v.strictObject({
  messageId: text,
  conversationId: text,
  seq: v.pipe(count, v.description('1, 2, 3 … per conversation, no gaps among stored messages')),
  senderId: text,
  content: v.pipe(v.nullable(text), v.description('null once deleted (a tombstone)')),
  createdAt: time,
  editedAt: v.optional(time),
  deleted: v.optional(v.boolean()),
  deletedAt: v.optional(time),
  clientMessageId: v.optional(text),
});
export const MessagePage = v.strictObject({ items: v.array(Message), nextCursor: v.pipe(v.optional(text), v.description('absent at the end')) });

export const ReadState = v.strictObject({ conversationId: text, userId: text, lastReadSeq: count, lastReadAt: v.optional(time) });

/** The shapes the documents name (components.schemas), so each is written once there. */
export const NAMED_SHAPES = { UserProfile, LastMessagePreview, Conversation, Member, FoundUser, Message };
