import { randomUUID } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { logger } from '../observability/logger';

/** Durable events, delivered to clients through SNS `chat-message-topic` and snsFanoutHandler. */
export type DurableEventType =
  | 'message.created'
  | 'message.edited'
  | 'message.deleted'
  | 'message.read'
  | 'conversation.created'
  | 'conversation.updated'
  | 'conversation.deleted'
  | 'member.added'
  | 'member.removed';

export interface ChatEvent<T = Record<string, unknown>> {
  /** Unique per event, so consumers can drop duplicates of an at-least-once delivery. */
  eventId: string;
  type: DurableEventType;
  conversationId: string;
  data: T;
  correlationId: string;
  occurredAt: string;
  /**
   * Who receives it. Absent: the conversation's current members. Present when the audience is
   * not (or no longer) the member list, e.g. a removed member or a deleted conversation.
   */
  recipientIds?: string[];
}

export function chatEvent<T extends Record<string, unknown>>(
  type: DurableEventType,
  conversationId: string,
  data: T,
  correlationId: string,
  recipientIds?: string[],
): ChatEvent<T> {
  return { eventId: randomUUID(), type, conversationId, data, correlationId, occurredAt: new Date().toISOString(), recipientIds };
}

export interface EventPublisher {
  publish(event: ChatEvent): Promise<void>;
}

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
