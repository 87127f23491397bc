import { answer, ok } from '@shared/platform';
import { messages, route } from '../app';
import { MessageSchema } from '@shared/chat/messages';
import { MessagePath } from '../schemas';

export const handler = route(
  {
    path: MessagePath,
    summary: 'One message',
    answers: { 200: answer('The message', MessageSchema) },
  },
  async ({ path, user }) =>
    ok(await messages.get(path.conversationId, user.userId, path.messageId)),
);
