import { AppError, forbidden, notFound } from '@shared/platform';
import { type Conversation, type Membership } from '@shared/chat';
import type { ConversationStore, MemberDirectory } from './ports';

/**
 * The conversation and the caller's membership, both read strongly consistent (a member removed a
 * moment ago is refused at once): 404 when the conversation does not exist, 403 when the caller is
 * not a member.
 */
export async function requireMember(
  conversations: Pick<ConversationStore, 'get'>,
  members: Pick<MemberDirectory, 'get'>,
  conversationId: string,
  userId: string,
): Promise<{ conversation: Conversation; membership: Membership }> {
  const [conversation, membership] = await Promise.all([conversations.get(conversationId), members.get(conversationId, userId)]);
  if (!conversation) throw notFound('Conversation not found');
  if (!membership) throw forbidden('You are not a member of this conversation');
  return { conversation, membership };
}

/** 404 naming the request field that points at users who do not exist (or are not confirmed). */
export const noSuchUsers = (field: string, userIds: readonly string[]) =>
  new AppError(404, 'NOT_FOUND', `${field}: no such user: ${userIds.join(', ')}`, field);
