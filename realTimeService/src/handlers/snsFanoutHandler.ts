import type { Context, SNSEvent } from 'aws-lambda';
import { logger, validate } from '@chat/shared';
import { durableEvents, runtime } from '../app';
import { ChatEventMessage } from '../schemas';

/**
 * `chat-message-topic` → every connection of the event's audience. A malformed message is logged
 * and skipped (a retry cannot mend it); any other failure fails the invocation, so Lambda's
 * asynchronous retries deliver the event again.
 */
export const handler = async (event: SNSEvent, context: Context): Promise<void> => {
  for (const record of event.Records) {
    await logger.withContext({ requestId: context.awsRequestId, snsMessageId: record.Sns.MessageId }, async () => {
      try {
        const chatEvent = validate(ChatEventMessage, parseJson(record.Sns.Message), 'body');
        logger.appendKeys({ correlationId: chatEvent.correlationId, eventId: chatEvent.eventId, eventType: chatEvent.type, conversationId: chatEvent.conversationId });
        await durableEvents.deliver(chatEvent);
      } catch (err) {
        if ((err as Error).name !== 'AppError') throw err;
        logger.error('event.invalid', { error: err });
      } finally {
        await runtime.metrics.flush();
      }
    });
  }
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
