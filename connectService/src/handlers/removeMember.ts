import { answer, noContent } from '@shared/platform';
import { members, route } from '../app/members';
import { MemberPath } from '../schemas';

export const handler = route(
  {
    path: MemberPath,
    summary: 'Remove a member (owners and admins), or leave (anyone, for themselves)',
    answers: { 204: answer('Removed') },
  },
  async ({ path, user, ctx }) => {
    await members.remove(user.userId, path.conversationId, path.userId, ctx.correlationId);
    return noContent();
  },
);
