import { ok } from '@shared/platform';
import { messages, route } from '../app';
import { MessagePath } from '../schemas';

/** 200 with the tombstone (also when it was deleted already). */
export const handler = route({ path: MessagePath }, async ({ path, user, ctx }) =>
  ok(await messages.delete({ ...path, userId: user.userId, correlationId: ctx.correlationId })),
);
