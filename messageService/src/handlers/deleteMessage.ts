import { answer, ok } from '@shared/platform';
import { messages, route } from '../app';
import { MessageSchema } from '@shared/chat/messages';
import { MessagePath } from '../schemas';

/** 200 with the tombstone (also when it was deleted already). */
export const handler = route(
  {
    path: MessagePath,
    summary: 'Delete a message (its author, or an owner/admin): a tombstone stays in history',
    answers: { 200: answer('The tombstone', MessageSchema) },
  },
  async ({ path, user, ctx }) =>
    ok(await messages.delete({ ...path, userId: user.userId, correlationId: ctx.correlationId })),
);
