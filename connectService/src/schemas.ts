import * as v from 'valibot';
import { fields, hasControlCharacters } from '@shared/platform';
import { MemberRoleSchema } from '@shared/chat';
import { LIMITS } from './limits';

/** One line of visible text: trimmed, bounded, no control characters (not even newlines). */
const line = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
    v.check((text) => !hasControlCharacters(text) && !/[\n\r\t]/.test(text), 'must not contain control characters'),
  );

/** Free text that may span lines; empty clears it. */
const text = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.maxLength(max, `must be at most ${max} characters`),
    v.check((value) => !hasControlCharacters(value), 'must not contain control characters'),
  );

export const ConversationPath = v.strictObject({ conversationId: fields.id });
export const MemberPath = v.strictObject({ conversationId: fields.id, userId: fields.id });

export const CreateConversationBody = v.strictObject({
  name: line(LIMITS.nameLength),
  description: v.optional(text(LIMITS.descriptionLength)),
  memberIds: v.optional(
    v.pipe(
      v.array(fields.id),
      v.maxLength(LIMITS.initialMembers, `must list at most ${LIMITS.initialMembers} users (add more with POST /conversations/{conversationId}/members)`),
    ),
    () => [],
  ),
});

export const UpdateConversationBody = v.pipe(
  v.strictObject({
    name: v.optional(line(LIMITS.nameLength)),
    description: v.optional(text(LIMITS.descriptionLength)),
  }),
  v.check((body) => body.name !== undefined || body.description !== undefined, 'name or description is required'),
);

export const AddMemberBody = v.strictObject({ userId: fields.id, role: v.optional(MemberRoleSchema, 'member') });

export const DirectConversationBody = v.strictObject({ userId: fields.id });

export const ConversationsQuery = v.strictObject({
  limit: fields.limit(LIMITS.conversationPage.max, LIMITS.conversationPage.default),
  cursor: v.optional(fields.cursor),
});

export const SearchUsersQuery = v.strictObject({
  q: line(LIMITS.searchQueryLength),
  limit: fields.limit(LIMITS.searchPage.max, LIMITS.searchPage.default),
  cursor: v.optional(fields.cursor),
});
