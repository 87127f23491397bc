import { ok } from '@chat/shared';
import { MESSAGE_LIMITS } from '@chat/shared/chat/messages';
import { messages, route } from '../app';
import { EditMessageBody, MessagePath } from '../schemas';

export const handler = route({ path: MessagePath, body: EditMessageBody, maxBodyBytes: MESSAGE_LIMITS.maxBodyBytes }, async ({ path, body, user, ctx }) =>
  ok(await messages.edit({ ...path, userId: user.userId, content: body.content, correlationId: ctx.correlationId })),
);
