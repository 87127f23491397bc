import { answer, ok } from '@shared/platform';
import { conversations, route } from '../app/conversations';
import { ConversationViewSchema } from '../conversation-view';
import { ConversationPath, UpdateConversationBody } from '../schemas';

export const handler = route(
  {
    path: ConversationPath,
    body: UpdateConversationBody,
    summary: 'Rename a group or change its description (owners and admins)',
    answers: { 200: answer('The conversation', ConversationViewSchema) },
  },
  async ({ path, body, user, ctx }) =>
    ok(await conversations.update(user.userId, path.conversationId, body, ctx.correlationId)),
);
