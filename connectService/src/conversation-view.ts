import { createHash } from 'node:crypto';
import type { Conversation, ConversationType, LastMessagePreview, MemberRole, Membership, UserProfile } from '@chat/shared';
import type { UnreadCounter, UserDirectory } from './ports';

/** A conversation as one member sees it (getConversation, the items of getConversations, ...). */
export interface ConversationView {
  conversationId: string;
  type: ConversationType;
  /** A group's name; for a direct conversation, the other person's full name. */
  name: string;
  description?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  memberCount: number;
  lastActivityAt: string;
  lastSeq: number;
  lastMessage: LastMessagePreview | null;
  /** The reader's role and read position. */
  role: MemberRole;
  lastReadSeq: number;
  unreadCount: number;
  /** Present (true) when unreadCount stopped at the cap: "at least". */
  unreadCountCapped?: true;
  /** Direct conversations: who the reader talks to. */
  otherUser?: { userId: string; fullName: string };
}

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
    const counts = await mapBounded(rows, this.concurrency, ({ conversation, membership }) =>
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
        lastMessage: c.lastMessage ? previewFields(c.lastMessage) : null,
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

/** The preview as clients see it: the stored item also carries bookkeeping (e.g. the message's version). */
function previewFields({ messageId, seq, senderId, preview, createdAt, deleted }: LastMessagePreview): LastMessagePreview {
  return deleted ? { messageId, seq, senderId, preview, createdAt, deleted } : { messageId, seq, senderId, preview, createdAt };
}

function otherParticipant(c: Conversation, readerId: string): string {
  const [a, b] = directPair(c);
  return a === readerId ? b! : a!;
}

async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
