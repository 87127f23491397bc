import { ok } from '@shared/platform';
import { messages, route } from '../app';
import { MessagePath } from '../schemas';

export const handler = route({ path: MessagePath }, async ({ path, user }) =>
  ok(await messages.get(path.conversationId, user.userId, path.messageId)),
);
