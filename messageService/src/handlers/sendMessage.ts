import { answer } from '@shared/platform';
import { MESSAGE_LIMITS, MessageSchema } from '@shared/chat/messages';
import { messages, route } from '../app';
import { ConversationPath, SendMessageInput } from '../schemas';

/** 201 with the new message; 200 with the first one when clientMessageId repeats an earlier send. */
export const handler = route(
  {
    path: ConversationPath,
    body: SendMessageInput,
    maxBodyBytes: MESSAGE_LIMITS.maxBodyBytes,
    summary: 'Send a message',
    answers: { 201: answer('The new message', MessageSchema), 200: answer('The first message, when `clientMessageId` repeats an earlier send', MessageSchema) },
  },
  async ({ path, body, user, ctx }) => {
    const { message, created } = await messages.send({ ...body, conversationId: path.conversationId, senderId: user.userId, correlationId: ctx.correlationId });
    return { status: created ? 201 : 200, body: message };
  },
);
