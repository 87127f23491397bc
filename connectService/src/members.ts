import * as v from 'valibot';
import { canManageMembers, MemberRoleSchema, type MemberRole, type Membership, type Actor } from '@shared/chat';
import { conflict, forbidden, logger, notFound } from '@shared/platform';
import { retryOnConcurrentChange } from './concurrency';
import { noSuchUsers, requireMember } from './conversation-access';
import { UNKNOWN_USER } from './conversation-view';
import type { EventNotifier } from './event-notifier';
import { LIMITS } from './limits';
import type { ConversationStore, MemberDirectory, UserDirectory } from './ports';

export interface MemberDeps {
  conversations: ConversationStore;
  members: MemberDirectory;
  users: UserDirectory;
  notifier: EventNotifier;
  clock?: () => Date;
  maxGroupMembers?: number;
}

/** A member as getMembers and addMember answer. */
export const MemberViewSchema = v.strictObject({
  conversationId: v.string(),
  userId: v.string(),
  fullName: v.string(),
  role: MemberRoleSchema,
  joinedAt: v.pipe(v.string(), v.isoTimestamp()),
  lastReadSeq: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type MemberView = v.InferOutput<typeof MemberViewSchema>;
export const MemberListSchema = v.strictObject({ items: v.array(MemberViewSchema) });

const RANK: Record<MemberRole, number> = { member: 0, admin: 1, owner: 2 };

/** What happened when someone left or was removed. */
export type Removal =
  | { outcome: 'removed'; formerMembers: string[]; newOwnerId?: string }
  | { outcome: 'conversation-deleted'; formerMembers: string[] };

/**
 * Group membership: owners and admins add and remove, anyone may leave.
 *
 * Ownership never lapses while anyone remains: when the last owner leaves, the longest-standing
 * admin (or, without admins, the longest-standing member) becomes owner in the same transaction;
 * when the last member leaves, the conversation is deleted with them. A manager removes only people
 * whose role does not outrank their own (an admin cannot remove an owner). Direct conversations
 * have exactly their two members: adding or removing there is a 409.
 */
export class MemberUseCases {
  private readonly clock: () => Date;
  private readonly maxGroupMembers: number;

  constructor(private readonly deps: MemberDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.maxGroupMembers = deps.maxGroupMembers ?? LIMITS.groupMembers;
  }

  async list(callerId: string, conversationId: string): Promise<v.InferOutput<typeof MemberListSchema>> {
    await requireMember(this.deps.conversations, this.deps.members, conversationId, callerId);
    const members = await this.deps.members.listMembers(conversationId);
    const profiles = await this.deps.users.getMany(members.map((m) => m.userId));
    const items = members
      .sort((a, b) => (a.joinedAt === b.joinedAt ? (a.userId < b.userId ? -1 : 1) : a.joinedAt < b.joinedAt ? -1 : 1))
      .map((m) => memberView(m, profiles.get(m.userId)?.fullName));
    return { items };
  }

  async add(
    callerId: string,
    conversationId: string,
    input: { userId: string; role: MemberRole },
    correlationId: string,
  ): Promise<MemberView> {
    const { member, memberCount } = await retryOnConcurrentChange(async () => {
      const { conversation, membership: actor } = await requireMember(this.deps.conversations, this.deps.members, conversationId, callerId);
      if (conversation.type === 'direct') throw conflict('A direct conversation has exactly two members: start a group instead');
      if (!canManageMembers(actor.role)) throw forbidden('Only owners and admins can add members');
      if (input.role === 'owner' && actor.role !== 'owner') throw forbidden('Only an owner can add another owner');
      if (await this.deps.members.get(conversationId, input.userId)) throw conflict('That user is already a member');
      const profile = (await this.deps.users.getMany([input.userId])).get(input.userId);
      if (!profile?.confirmed) throw noSuchUsers('userId', [input.userId]);
      if (conversation.memberCount >= this.maxGroupMembers) {
        throw conflict(`The conversation is full (${this.maxGroupMembers} members)`);
      }
      const membership: Membership = {
        conversationId,
        userId: input.userId,
        role: input.role,
        joinedAt: this.clock().toISOString(),
        // History from before they joined is there to read, but not "unread".
        lastReadSeq: conversation.lastSeq,
      };
      await this.deps.conversations.addMember(membership, actor, this.maxGroupMembers);
      return { member: memberView(membership, profile.fullName), memberCount: conversation.memberCount + 1 };
    });
    logger.info('member.added', { conversationId, memberId: member.userId, role: member.role });
    await this.deps.notifier.publish('member.added', conversationId, { member, addedBy: callerId, memberCount }, correlationId);
    return member;
  }

  /** Removes `targetId` (or the caller leaves, when it is their own id). */
  async remove(callerId: string, conversationId: string, targetId: string, correlationId: string): Promise<Removal> {
    const removal = await retryOnConcurrentChange(async (): Promise<Removal & { memberCount: number }> => {
      const { conversation, membership: actor } = await requireMember(this.deps.conversations, this.deps.members, conversationId, callerId);
      if (conversation.type === 'direct') throw conflict('Nobody leaves or is removed from a direct conversation');
      const leaving = targetId === callerId;
      if (!leaving && !canManageMembers(actor.role)) throw forbidden('Only owners and admins can remove other members');
      const target = leaving ? actor : await this.deps.members.get(conversationId, targetId);
      if (!target) throw notFound('That user is not a member of this conversation');
      if (RANK[target.role] > RANK[actor.role]) throw forbidden(`An ${actor.role} cannot remove an ${target.role}`);
      const members = await this.deps.members.listMembers(conversationId);
      const formerMembers = members.map((m) => m.userId);
      if (leaving && members.length <= 1) {
        await this.deps.conversations.delete(conversationId, actor, [callerId]);
        return { outcome: 'conversation-deleted', formerMembers, memberCount: 0 };
      }
      const guards: { actor?: Actor; promote?: Actor; otherOwner?: string } = {};
      if (!leaving) guards.actor = actor; // an owner removing an owner: their own check keeps an owner
      let newOwnerId: string | undefined;
      if (leaving && target.role === 'owner') {
        const otherOwner = members.find((m) => m.role === 'owner' && m.userId !== callerId);
        if (otherOwner) guards.otherOwner = otherOwner.userId;
        else {
          const successor = successorOf(members.filter((m) => m.userId !== callerId));
          guards.promote = successor;
          newOwnerId = successor.userId;
        }
      }
      await this.deps.conversations.removeMember(conversationId, target, guards);
      return { outcome: 'removed', formerMembers, newOwnerId, memberCount: conversation.memberCount - 1 };
    });
    const { memberCount, ...result } = removal;
    if (result.outcome === 'conversation-deleted') {
      logger.info('conversation.deleted', { conversationId, reason: 'last member left' });
      await this.deps.notifier.publish('conversation.deleted', conversationId, { deletedBy: callerId, reason: 'last member left' }, correlationId, result.formerMembers);
      return result;
    }
    logger.info('member.removed', { conversationId, memberId: targetId, left: targetId === callerId, newOwnerId: result.newOwnerId });
    // The removed member is no longer in the member list, so the audience is named explicitly.
    await this.deps.notifier.publish(
      'member.removed',
      conversationId,
      { userId: targetId, removedBy: callerId, left: targetId === callerId, newOwnerId: result.newOwnerId, memberCount },
      correlationId,
      result.formerMembers,
    );
    return result;
  }
}

/** Who inherits ownership: the longest-standing admin, else the longest-standing member. */
export function successorOf(remaining: readonly Membership[]): Actor {
  const [first] = [...remaining].sort(
    (a, b) => RANK[b.role] - RANK[a.role] || (a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : a.userId < b.userId ? -1 : 1),
  );
  if (!first) throw new Error('successorOf needs at least one remaining member');
  return { userId: first.userId, role: first.role };
}

function memberView(m: Membership, fullName: string | undefined): MemberView {
  return { conversationId: m.conversationId, userId: m.userId, fullName: fullName ?? UNKNOWN_USER, role: m.role, joinedAt: m.joinedAt, lastReadSeq: m.lastReadSeq };
}
