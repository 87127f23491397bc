import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { mapLimited } from '@shared/platform';
import { CONVERSATION_TYPES, LastMessagePreviewSchema, MemberRoleSchema, visiblePreview, type Conversation, type Membership, type UserProfile } from '@shared/chat';
import type { UnreadCounter, UserDirectory } from './ports';

const time = v.pipe(v.string(), v.isoTimestamp());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A conversation as one member sees it (getConversation, the items of getConversations, ...). */
export const ConversationViewSchema = v.strictObject({
  conversationId: v.string(),
  type: v.picklist(CONVERSATION_TYPES),
  name: v.pipe(v.string(), v.description("a group's name; for a direct conversation, the other person's")),
  description: v.optional(v.string()),
  createdBy: v.string(),
  createdAt: time,
  updatedAt: time,
  memberCount: count,
  lastActivityAt: time,
  lastSeq: count,
  lastMessage: v.nullable(LastMessagePreviewSchema),
  role: v.pipe(MemberRoleSchema, v.description("the reader's role")),
  lastReadSeq: count,
  unreadCount: count,
  unreadCountCapped: v.optional(v.pipe(v.literal(true), v.description('present when unreadCount stopped at the cap: "at least"'))),
  otherUser: v.optional(v.strictObject({ userId: v.string(), fullName: v.string() })),
});
export type ConversationView = v.InferOutput<typeof ConversationViewSchema>;

/** What every member may be told about a conversation (event payloads): nothing reader-specific. */
export function conversationSummary(c: Conversation): Record<string, unknown> {
  return {
    conversationId: c.conversationId,
    type: c.type,
    name: c.name,
    description: c.description,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    memberCount: c.memberCount,
    lastActivityAt: c.lastActivityAt,
    memberIds: c.type === 'direct' ? directPair(c) : undefined,
  };
}

/**
 * The id of the one direct conversation of two users: the same whoever asks, so concurrent
 * "open a chat with X" calls all aim at one item and a conditional put lets exactly one create it.
 * A hash keeps it short and valid as an id whatever the user ids look like.
 */
export function directConversationId(a: string, b: string): string {
  return `dm-${createHash('sha256').update(directKey(a, b)).digest('hex').slice(0, 40)}`;
}

export const directKey = (a: string, b: string) => [a, b].sort().join('#');

const directPair = (c: Conversation) => (c.directKey ?? '').split('#');

export const UNKNOWN_USER = 'Unknown user';

/** Builds members' views: the other person's name for direct conversations, and unread counts. */
export class ConversationViews {
  constructor(
    private readonly users: UserDirectory,
    private readonly unread: UnreadCounter,
    /** Unread counts run in parallel, at most this many at once (one page is at most 50). */
    private readonly concurrency = 10,
  ) {}

  async forReader(
    rows: readonly { conversation: Conversation; membership: Membership }[],
    readerId: string,
    knownProfiles: ReadonlyMap<string, UserProfile> = new Map(),
  ): Promise<ConversationView[]> {
    const others = rows
      .filter((r) => r.conversation.type === 'direct')
      .map((r) => otherParticipant(r.conversation, readerId))
      .filter((id) => !knownProfiles.has(id));
    const profiles = others.length ? new Map([...knownProfiles, ...(await this.users.getMany(others))]) : knownProfiles;
    const counts = await mapLimited(rows, this.concurrency, ({ conversation, membership }) =>
      // Nothing after what the reader has read: no query.
      conversation.lastSeq <= membership.lastReadSeq
        ? Promise.resolve({ count: 0, capped: false })
        : this.unread.count(conversation.conversationId, membership.lastReadSeq, readerId),
    );
    return rows.map(({ conversation: c, membership: m }, i) => {
      const otherId = c.type === 'direct' ? otherParticipant(c, readerId) : undefined;
      const otherName = otherId ? (profiles.get(otherId)?.fullName ?? UNKNOWN_USER) : undefined;
      const view: ConversationView = {
        conversationId: c.conversationId,
        type: c.type,
        name: otherName ?? c.name ?? '',
        description: c.description,
        createdBy: c.createdBy,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        memberCount: c.memberCount,
        lastActivityAt: c.lastActivityAt,
        lastSeq: c.lastSeq,
        lastMessage: c.lastMessage ? visiblePreview(c.lastMessage) : null,
        role: m.role,
        lastReadSeq: m.lastReadSeq,
        unreadCount: counts[i]!.count,
      };
      if (counts[i]!.capped) view.unreadCountCapped = true;
      if (otherId) view.otherUser = { userId: otherId, fullName: otherName! };
      return view;
    });
  }
}

function otherParticipant(c: Conversation, readerId: string): string {
  const [a, b] = directPair(c);
  return a === readerId ? b! : a!;
}
