import { answer, created, ok } from '@shared/platform';
import { conversations, route } from '../app/conversations';
import { ConversationViewSchema } from '../conversation-view';
import { DirectConversationBody } from '../schemas';

export const handler = route(
  {
    body: DirectConversationBody,
    summary: 'The direct conversation with another user: one per pair, whoever asks first',
    answers: { 201: answer('Created now', ConversationViewSchema), 200: answer('It existed already', ConversationViewSchema) },
  },
  async ({ body, user, ctx }) => {
    const { conversation, created: isNew } = await conversations.openDirect(user.userId, body.userId, ctx.correlationId);
    return isNew ? created(conversation) : ok(conversation);
  },
);
