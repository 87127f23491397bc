import { answer, ok } from '@shared/platform';
import { MESSAGE_LIMITS, MessageSchema } from '@shared/chat/messages';
import { messages, route } from '../app';
import { EditMessageBody, MessagePath } from '../schemas';

export const handler = route(
  {
    path: MessagePath,
    body: EditMessageBody,
    maxBodyBytes: MESSAGE_LIMITS.maxBodyBytes,
    summary: 'Edit a message (its author)',
    answers: { 200: answer('The edited message', MessageSchema) },
  },
  async ({ path, body, user, ctx }) =>
    ok(await messages.edit({ ...path, userId: user.userId, content: body.content, correlationId: ctx.correlationId })),
);
