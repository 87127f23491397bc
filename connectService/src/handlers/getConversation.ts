import { answer, ok } from '@shared/platform';
import { conversations, route } from '../app/conversations';
import { ConversationViewSchema } from '../conversation-view';
import { ConversationPath } from '../schemas';

export const handler = route(
  {
    path: ConversationPath,
    summary: 'One conversation the caller belongs to',
    answers: { 200: answer('The conversation', ConversationViewSchema) },
  },
  async ({ path, user }) => ok(await conversations.get(user.userId, path.conversationId)),
);
