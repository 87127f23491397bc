import { answer, noContent } from '@shared/platform';
import { conversations, route } from '../app/conversations';
import { ConversationPath } from '../schemas';

export const handler = route(
  {
    path: ConversationPath,
    summary: 'Delete a group (owners)',
    answers: { 204: answer('Deleted') },
  },
  async ({ path, user, ctx }) => {
    await conversations.delete(user.userId, path.conversationId, ctx.correlationId);
    return noContent();
  },
);
