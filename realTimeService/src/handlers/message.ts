import { serverFrame } from '@shared/platform/websocket';
import { MESSAGE_LIMITS } from '@shared/chat/messages';
import { identifiedWebsocket } from '../app/identified';
import { messages } from '../app/messages';
import { MessageFrame } from '../schemas';

/** Sends through messageService's own send operation; the sender gets an `ack`, everyone the `message.created` event. */
export const handler = identifiedWebsocket.route({ frame: MessageFrame, maxFrameBytes: MESSAGE_LIMITS.maxBodyBytes }, async ({ frame, user, ctx }) => {
  const { conversationId, content, clientMessageId } = frame;
  const { message } = await messages.send({ conversationId, content, clientMessageId, senderId: user.userId, correlationId: ctx.correlationId });
  return serverFrame('ack', { clientMessageId: message.clientMessageId, messageId: message.messageId, seq: message.seq, conversationId }, ctx.correlationId);
});
