import { chatEvent, type DurableEventType, type EventPublisher } from '@shared/chat/events/chat-event';
import { logger, type MetricsSink } from '@shared/platform';

/**
 * Publishes connectService's events after their write succeeded. A failed publish does not undo or
 * fail the write (the change is stored and the client gets its answer): it is logged and counted
 * in `EventPublishFailures`, and clients converge on their next read (getConversations,
 * getMembers) or on the next event about the conversation.
 */
export class EventNotifier {
  constructor(
    private readonly events: EventPublisher,
    private readonly metrics: Pick<MetricsSink, 'count'>,
  ) {}

  async publish(
    type: DurableEventType,
    conversationId: string,
    data: Record<string, unknown>,
    correlationId: string,
    recipientIds?: string[],
  ): Promise<void> {
    const event = chatEvent(type, conversationId, { conversationId, ...data }, correlationId, recipientIds);
    try {
      await this.events.publish(event);
    } catch (err) {
      logger.error('event.publish_failed', { eventType: type, eventId: event.eventId, conversationId, error: err });
      this.metrics.count('EventPublishFailures');
    }
  }
}
