import { answer, ok } from '@shared/platform';
import { messages, route } from '../app';
import { ReadStateSchema } from '@shared/chat/messages';
import { MessagePath } from '../schemas';

/** POST …/messages/{messageId}/read: the caller has read up to this message. */
export const handler = route(
  {
    path: MessagePath,
    summary: 'Mark the conversation read up to this message',
    answers: { 200: answer("The caller's read state", ReadStateSchema) },
  },
  async ({ path, user, ctx }) =>
    ok(await messages.markRead({ ...path, userId: user.userId, correlationId: ctx.correlationId })),
);
