import { ok } from '@shared/platform';
import { conversations, route } from '../app';
import { ConversationPath } from '../schemas';

export const handler = route({ path: ConversationPath }, async ({ path, user }) => ok(await conversations.get(user.userId, path.conversationId)));
