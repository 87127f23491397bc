import { created } from '@shared/platform';
import { members, route } from '../app';
import { AddMemberBody, ConversationPath } from '../schemas';

export const handler = route({ path: ConversationPath, body: AddMemberBody }, async ({ path, body, user, ctx }) =>
  created(await members.add(user.userId, path.conversationId, body, ctx.correlationId)),
);
