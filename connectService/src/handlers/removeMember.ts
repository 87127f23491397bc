import { noContent } from '@shared/platform';
import { members, route } from '../app';
import { MemberPath } from '../schemas';

export const handler = route({ path: MemberPath }, async ({ path, user, ctx }) => {
  await members.remove(user.userId, path.conversationId, path.userId, ctx.correlationId);
  return noContent();
});
