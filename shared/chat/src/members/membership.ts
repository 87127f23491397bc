import * as v from 'valibot';

/** A member's role in a conversation, most powerful first. The one list every check, schema and document uses. */
export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MemberRoleSchema = v.picklist(MEMBER_ROLES);

/** Roles that manage members, rename a group, and delete others' messages. */
export const MANAGER_ROLES = ['owner', 'admin'] as const satisfies readonly MemberRole[];

export const canManageMembers = (role: MemberRole | undefined): boolean => (MANAGER_ROLES as readonly (MemberRole | undefined)[]).includes(role);

/**
 * One row of `conversation-members-table` (key: conversationId + userId). `lastReadSeq` is the
 * highest message seq the member has read; it never moves backwards.
 */
export interface Membership {
  conversationId: string;
  userId: string;
  role: MemberRole;
  joinedAt: string;
  lastReadSeq: number;
  lastReadAt?: string;
}
