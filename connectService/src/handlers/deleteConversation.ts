import { noContent } from '@shared/platform';
import { conversations, route } from '../app';
import { ConversationPath } from '../schemas';

export const handler = route({ path: ConversationPath }, async ({ path, user, ctx }) => {
  await conversations.delete(user.userId, path.conversationId, ctx.correlationId);
  return noContent();
});
