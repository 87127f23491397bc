import { created } from '@shared/platform';
import { conversations, route } from '../app';
import { CreateConversationBody } from '../schemas';

export const handler = route({ body: CreateConversationBody }, async ({ body, user, ctx }) =>
  created(await conversations.createGroup(user.userId, body, ctx.correlationId)),
);
