import { fields, hasControlCharacters, z } from '@chat/shared';
import { LIMITS } from './limits';

/** One line of visible text: trimmed, bounded, no control characters (not even newlines). */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControlCharacters(v) && !/[\n\r\t]/.test(v), 'must not contain control characters');

/** Free text that may span lines; empty clears it. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControlCharacters(v), 'must not contain control characters');

const memberRole = z.enum(['member', 'admin', 'owner']);

export const ConversationPath = z.strictObject({ conversationId: fields.id });
export const MemberPath = z.strictObject({ conversationId: fields.id, userId: fields.id });

export const CreateConversationBody = z.strictObject({
  name: line(LIMITS.nameLength),
  description: text(LIMITS.descriptionLength).optional(),
  memberIds: z
    .array(fields.id)
    .max(LIMITS.initialMembers, `must list at most ${LIMITS.initialMembers} users (add more with POST /conversations/{conversationId}/members)`)
    .default([]),
});

export const UpdateConversationBody = z
  .strictObject({
    name: line(LIMITS.nameLength).optional(),
    description: text(LIMITS.descriptionLength).optional(),
  })
  .refine((b) => b.name !== undefined || b.description !== undefined, 'name or description is required');

export const AddMemberBody = z.strictObject({ userId: fields.id, role: memberRole.default('member') });

export const DirectConversationBody = z.strictObject({ userId: fields.id });

export const ConversationsQuery = z.strictObject({
  limit: fields.limit(LIMITS.conversationPage.max, LIMITS.conversationPage.default),
  cursor: fields.cursor.optional(),
});

export const SearchUsersQuery = z.strictObject({
  q: line(LIMITS.searchQueryLength),
  limit: fields.limit(LIMITS.searchPage.max, LIMITS.searchPage.default),
  cursor: fields.cursor.optional(),
});
