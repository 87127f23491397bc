import type { Context, SNSEvent } from 'aws-lambda';
import { invoke, logger, validate } from '@shared/platform';
import type { ChatEvent } from '@shared/chat';
import { runtime } from '../app/core';
import { durableEvents } from '../app/delivery';
import { ChatEventMessage } from '../schemas';

/**
 * `chat-message-topic` → every connection of the event's audience. A malformed message is logged
 * and skipped (a retry cannot mend it); any other failure fails the invocation, so Lambda's
 * asynchronous retries deliver the event again.
 */
export const handler = async (event: SNSEvent, context: Context): Promise<void> => {
  for (const record of event.Records) {
    await invoke(
      { trigger: 'sns', requestId: context.awsRequestId, correlationId: context.awsRequestId, fields: { snsMessageId: record.Sns.MessageId } },
      { flush: () => runtime.metrics.flush() },
      async () => {
        const chatEvent = readEvent(record.Sns.Message);
        if (!chatEvent) return;
        logger.appendKeys({ correlationId: chatEvent.correlationId, eventId: chatEvent.eventId, eventType: chatEvent.type, conversationId: chatEvent.conversationId });
        await durableEvents.deliver(chatEvent);
      },
    );
  }
};

function readEvent(message: string): ChatEvent | undefined {
  try {
    return validate(ChatEventMessage, JSON.parse(message), 'body');
  } catch (err) {
    logger.error('event.invalid', { error: err, snsMessage: message.slice(0, 500) });
    return undefined;
  }
}
