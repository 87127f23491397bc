import { ok } from '@shared/platform';
import { members, route } from '../app';
import { ConversationPath } from '../schemas';

export const handler = route({ path: ConversationPath }, async ({ path, user }) => ok(await members.list(user.userId, path.conversationId)));
