import { answer, created } from '@shared/platform';
import { conversations, route } from '../app/conversations';
import { ConversationViewSchema } from '../conversation-view';
import { CreateConversationBody } from '../schemas';

export const handler = route(
  {
    body: CreateConversationBody,
    summary: 'Create a group; the caller is its owner',
    answers: { 201: answer('The conversation, as the caller sees it', ConversationViewSchema) },
  },
  async ({ body, user, ctx }) =>
    created(await conversations.createGroup(user.userId, body, ctx.correlationId)),
);
