import { answer, ok } from '@shared/platform';
import { conversations, route } from '../app/conversations';
import { ConversationPageSchema } from '../conversations';
import { ConversationsQuery } from '../schemas';

export const handler = route(
  {
    query: ConversationsQuery,
    summary: "The caller's conversations, most recent activity first, with last-message preview and unread count",
    answers: { 200: answer('A page; nextCursor is null at the end', ConversationPageSchema) },
  },
  async ({ query, user }) => ok(await conversations.list(user.userId, query)),
);
