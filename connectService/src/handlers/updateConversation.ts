import { ok } from '@shared/platform';
import { conversations, route } from '../app';
import { ConversationPath, UpdateConversationBody } from '../schemas';

export const handler = route({ path: ConversationPath, body: UpdateConversationBody }, async ({ path, body, user, ctx }) =>
  ok(await conversations.update(user.userId, path.conversationId, body, ctx.correlationId)),
);
