import { ok } from '@shared/platform';
import { messages, route } from '../app';
import { ConversationPath, FetchMessagesQuery } from '../schemas';

export const handler = route({ path: ConversationPath, query: FetchMessagesQuery }, async ({ path, query, user }) =>
  ok(await messages.fetch(path.conversationId, user.userId, query)),
);
