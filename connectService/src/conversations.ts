import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { badRequest, conflict, forbidden, fields, logger } from '@shared/platform';
import { canManageMembers, type Membership, ConcurrentChangeError, type Conversation, type UserProfile } from '@shared/chat';
import { retryOnConcurrentChange } from './concurrency';
import { noSuchUsers, requireMember } from './conversation-access';
import { ConversationViewSchema, conversationSummary, directConversationId, directKey, type ConversationView, type ConversationViews } from './conversation-view';
import { decodeCursor, encodeCursor } from './cursor';
import type { EventNotifier } from './event-notifier';
import type { ConversationStore, MembershipIndex, UserDirectory } from './ports';

export interface ConversationDeps {
  conversations: ConversationStore;
  members: MembershipIndex;
  users: UserDirectory;
  views: ConversationViews;
  notifier: EventNotifier;
  clock?: () => Date;
  newId?: () => string;
}

/** A page of a list and the cursor for the next one (null at the end). */
export const pageOf = <T extends v.GenericSchema>(item: T) => v.strictObject({ items: v.array(item), nextCursor: v.nullable(v.string()) });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What getConversations answers. */
export const ConversationPageSchema = pageOf(ConversationViewSchema);

/** getConversations' sort position: lastActivityAt (newest first), then conversationId. */
const ListPosition = v.strictObject({ t: v.pipe(v.string(), v.isoTimestamp()), c: fields.id });
type ListPosition = v.InferOutput<typeof ListPosition>;

/** Newest activity first; equal times in conversationId order, so the order is total and stable. */
const byActivity = (a: ListPosition, b: ListPosition) => (a.t === b.t ? (a.c < b.c ? -1 : a.c > b.c ? 1 : 0) : a.t > b.t ? -1 : 1);
const positionOf = (c: Conversation): ListPosition => ({ t: c.lastActivityAt, c: c.conversationId });

/** Creating, listing, reading, renaming and deleting conversations, group and direct. */
export class ConversationUseCases {
  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: ConversationDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  /** A group with the caller as its owner and `memberIds` (existing, confirmed users) as members. */
  async createGroup(
    callerId: string,
    input: { name: string; description?: string; memberIds: string[] },
    correlationId: string,
  ): Promise<ConversationView> {
    const memberIds = [...new Set(input.memberIds)].filter((id) => id !== callerId);
    await this.requireUsers(memberIds, 'memberIds');
    const now = this.clock().toISOString();
    const conversation: Conversation = {
      conversationId: this.newId(),
      type: 'group',
      name: input.name,
      description: input.description || undefined,
      createdBy: callerId,
      createdAt: now,
      updatedAt: now,
      memberCount: memberIds.length + 1,
      lastSeq: 0,
      lastActivityAt: now,
    };
    const membership = (userId: string, role: Membership['role']): Membership => ({
      conversationId: conversation.conversationId,
      userId,
      role,
      joinedAt: now,
      lastReadSeq: 0,
    });
    const owner = membership(callerId, 'owner');
    const { lastSeq: _lastSeq, ...item } = conversation;
    await this.deps.conversations.create(item, [owner, ...memberIds.map((id) => membership(id, 'member'))]);
    logger.info('conversation.created', { conversationId: conversation.conversationId, type: 'group', memberCount: conversation.memberCount });
    await this.deps.notifier.publish(
      'conversation.created',
      conversation.conversationId,
      { conversation: conversationSummary(conversation), memberIds: [callerId, ...memberIds], createdBy: callerId },
      correlationId,
    );
    return (await this.deps.views.forReader([{ conversation, membership: owner }], callerId))[0]!;
  }

  /**
   * The caller's conversations, most recent activity first, one page at a time.
   *
   * Cost model, per page: one Query of the caller's memberships on `userConversationsIndex` (all of
   * them: the index is ordered by conversationId, not by activity, and activity lives on the
   * conversation item that messageService updates on every send), BatchGet of those conversations
   * (100 per call), an in-memory sort, then for the page only: one BatchGet of the other people's
   * profiles for direct conversations and one bounded COUNT Query on `Messages` per conversation
   * with something unread (see MessagesUnreadCounter). Reads therefore grow with the number of
   * conversations a user belongs to (a few KB each), not with messages; that is the price of never
   * writing every member's row on every message. The cursor is a sort position, so a page never
   * repeats or skips a conversation whose activity did not change while paging; one that moves to
   * the top meanwhile is announced by its message event and seen on the next first page.
   */
  async list(callerId: string, options: { limit: number; cursor?: string }): Promise<Page<ConversationView>> {
    const after = decodeCursor(options.cursor, ListPosition);
    const memberships = await this.deps.members.listUserConversations(callerId);
    const conversations = await this.deps.conversations.getMany(memberships.map((m) => m.conversationId));
    // A membership whose conversation is gone belongs to a deletion still in progress: not shown.
    const rows = memberships
      .filter((m) => conversations.has(m.conversationId))
      .map((membership) => ({ conversation: conversations.get(membership.conversationId)!, membership }))
      .sort((a, b) => byActivity(positionOf(a.conversation), positionOf(b.conversation)));
    const remaining = after ? rows.filter((r) => byActivity(positionOf(r.conversation), after) > 0) : rows;
    const page = remaining.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: await this.deps.views.forReader(page, callerId),
      nextCursor: remaining.length > page.length && last ? encodeCursor(positionOf(last.conversation)) : null,
    };
  }

  async get(callerId: string, conversationId: string): Promise<ConversationView> {
    const row = await requireMember(this.deps.conversations, this.deps.members, conversationId, callerId);
    return (await this.deps.views.forReader([row], callerId))[0]!;
  }

  /** Renames or re-describes a group (owners and admins). */
  async update(
    callerId: string,
    conversationId: string,
    changes: { name?: string; description?: string },
    correlationId: string,
  ): Promise<ConversationView> {
    const { conversation, membership } = await retryOnConcurrentChange(async () => {
      const current = await requireMember(this.deps.conversations, this.deps.members, conversationId, callerId);
      if (current.conversation.type === 'direct') {
        throw conflict("A direct conversation cannot be renamed or described: it is named after the other person");
      }
      if (!canManageMembers(current.membership.role)) throw forbidden('Only owners and admins can change the conversation');
      const updatedAt = this.clock().toISOString();
      await this.deps.conversations.updateDetails(conversationId, changes, updatedAt, current.membership);
      const updated: Conversation = { ...current.conversation, ...changes, updatedAt };
      if (changes.description === '') delete updated.description;
      return { conversation: updated, membership: current.membership };
    });
    await this.deps.notifier.publish(
      'conversation.updated',
      conversationId,
      { conversation: conversationSummary(conversation), changed: Object.keys(changes), updatedBy: callerId },
      correlationId,
    );
    return (await this.deps.views.forReader([{ conversation, membership }], callerId))[0]!;
  }

  /** Deletes a group with every membership (owners only); every former member hears of it. */
  async delete(callerId: string, conversationId: string, correlationId: string): Promise<void> {
    const formerMembers = await retryOnConcurrentChange(async () => {
      const { conversation, membership } = await requireMember(this.deps.conversations, this.deps.members, conversationId, callerId);
      if (conversation.type === 'direct') throw conflict('A direct conversation cannot be deleted');
      if (membership.role !== 'owner') throw forbidden('Only an owner can delete the conversation');
      const memberIds = (await this.deps.members.listMembers(conversationId)).map((m) => m.userId);
      await this.deps.conversations.delete(conversationId, membership, memberIds);
      return memberIds;
    });
    logger.info('conversation.deleted', { conversationId, members: formerMembers.length });
    await this.deps.notifier.publish('conversation.deleted', conversationId, { deletedBy: callerId }, correlationId, formerMembers);
  }

  /**
   * The direct conversation between the caller and `otherUserId`, created on first use. Its id is
   * derived from the pair and it is created with one conditional TransactWriteItems, so however
   * many calls race, from either side, one creates it (created: true) and the others read it back.
   */
  async openDirect(callerId: string, otherUserId: string, correlationId: string): Promise<{ conversation: ConversationView; created: boolean }> {
    if (otherUserId === callerId) throw badRequest('userId: you cannot start a direct conversation with yourself', 'userId');
    const profiles = await this.requireUsers([otherUserId], 'userId');
    const conversationId = directConversationId(callerId, otherUserId);
    const { row, created } = await retryOnConcurrentChange(async () => {
      const existing = await requireDirect(this.deps, conversationId, callerId);
      if (existing) return { row: existing, created: false };
      const now = this.clock().toISOString();
      const conversation: Conversation = {
        conversationId,
        type: 'direct',
        directKey: directKey(callerId, otherUserId),
        createdBy: callerId,
        createdAt: now,
        updatedAt: now,
        memberCount: 2,
        lastSeq: 0,
        lastActivityAt: now,
      };
      // Neither side outranks the other: both are plain members of a conversation nobody manages.
      const members = [callerId, otherUserId].map((userId): Membership => ({ conversationId, userId, role: 'member', joinedAt: now, lastReadSeq: 0 }));
      const { lastSeq: _lastSeq, ...item } = conversation;
      await this.deps.conversations.create(item, members);
      return { row: { conversation, membership: members[0]! }, created: true };
    }, 8);
    if (created) {
      logger.info('conversation.created', { conversationId, type: 'direct' });
      await this.deps.notifier.publish(
        'conversation.created',
        conversationId,
        { conversation: conversationSummary(row.conversation), memberIds: [callerId, otherUserId], createdBy: callerId },
        correlationId,
      );
    }
    return { conversation: (await this.deps.views.forReader([row], callerId, profiles))[0]!, created };
  }

  /** Profiles of `userIds`; 404 naming `field` when one is not a confirmed user. */
  private async requireUsers(userIds: string[], field: string): Promise<Map<string, UserProfile>> {
    if (!userIds.length) return new Map();
    const profiles = await this.deps.users.getMany(userIds);
    const unknown = userIds.filter((id) => !profiles.get(id)?.confirmed);
    if (unknown.length) throw noSuchUsers(field, unknown);
    return profiles;
  }
}

async function requireDirect(
  deps: Pick<ConversationDeps, 'conversations' | 'members'>,
  conversationId: string,
  callerId: string,
): Promise<{ conversation: Conversation; membership: Membership } | undefined> {
  const [conversation, membership] = await Promise.all([deps.conversations.get(conversationId), deps.members.get(conversationId, callerId)]);
  if (!conversation) return undefined;
  // Written in one transaction with the conversation and never removed: absent only mid-creation.
  if (!membership) throw new ConcurrentChangeError(['membership not visible yet']);
  return { conversation, membership };
}
