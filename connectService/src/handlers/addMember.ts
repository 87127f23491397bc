import { answer, created } from '@shared/platform';
import { members, route } from '../app/members';
import { MemberViewSchema } from '../members';
import { AddMemberBody, ConversationPath } from '../schemas';

export const handler = route(
  {
    path: ConversationPath,
    body: AddMemberBody,
    summary: 'Add a member (owners and admins)',
    answers: { 201: answer('The member', MemberViewSchema) },
  },
  async ({ path, body, user, ctx }) =>
    created(await members.add(user.userId, path.conversationId, body, ctx.correlationId)),
);
