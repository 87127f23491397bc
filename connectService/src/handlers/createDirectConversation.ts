import { created, ok } from '@shared/platform';
import { conversations, route } from '../app';
import { DirectConversationBody } from '../schemas';

export const handler = route({ body: DirectConversationBody }, async ({ body, user, ctx }) => {
  const { conversation, created: isNew } = await conversations.openDirect(user.userId, body.userId, ctx.correlationId);
  return isNew ? created(conversation) : ok(conversation);
});
