import { ok } from '@shared/platform';
import { messages, route } from '../app';
import { MessagePath } from '../schemas';

/** POST …/messages/{messageId}/read: the caller has read up to this message. */
export const handler = route({ path: MessagePath }, async ({ path, user, ctx }) =>
  ok(await messages.markRead({ ...path, userId: user.userId, correlationId: ctx.correlationId })),
);
