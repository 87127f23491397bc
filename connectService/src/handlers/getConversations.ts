import { ok } from '@shared/platform';
import { conversations, route } from '../app';
import { ConversationsQuery } from '../schemas';

export const handler = route({ query: ConversationsQuery }, async ({ query, user }) => ok(await conversations.list(user.userId, query)));
