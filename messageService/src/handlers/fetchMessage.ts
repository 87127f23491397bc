import { answer, ok } from '@shared/platform';
import { messages, route } from '../app';
import { MessagePageSchema } from '@shared/chat/messages';
import { ConversationPath, FetchMessagesQuery } from '../schemas';

export const handler = route(
  {
    path: ConversationPath,
    query: FetchMessagesQuery,
    summary: 'History: newest first, or with `after=<seq>` what came after it, oldest first (catch-up)',
    answers: { 200: answer('A page', MessagePageSchema) },
  },
  async ({ path, query, user }) =>
    ok(await messages.fetch(path.conversationId, user.userId, query)),
);
