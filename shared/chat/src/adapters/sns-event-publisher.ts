import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { logger } from '@shared/platform';
import type { ChatEvent, EventPublisher } from '../events/chat-event';

/** Publishes events to the SNS topic named by `/SNS_TOPIC_ARN`, with type and conversation as attributes. */
export class SnsEventPublisher implements EventPublisher {
  constructor(
    private readonly sns: Pick<SNSClient, 'send'>,
    private readonly topicArn: () => Promise<string>,
  ) {}

  async publish(event: ChatEvent): Promise<void> {
    const out = await this.sns.send(
      new PublishCommand({
        TopicArn: await this.topicArn(),
        Message: JSON.stringify(event),
        MessageAttributes: {
          type: { DataType: 'String', StringValue: event.type },
          conversationId: { DataType: 'String', StringValue: event.conversationId },
          correlationId: { DataType: 'String', StringValue: event.correlationId },
        },
      }),
    );
    logger.info('event.published', { eventType: event.type, eventId: event.eventId, conversationId: event.conversationId, snsMessageId: out.MessageId });
  }
}
