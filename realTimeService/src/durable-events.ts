import { countDynamoRequests, logger } from '@shared/platform';
import { DURABLE_EVENTS, type ChatEvent } from '@shared/chat';
import { serverFrame } from '@shared/platform/websocket';
import type { Audience } from './audience';
import type { FanOut } from './fan-out';

/**
 * snsFanoutHandler's use case: one durable event from `chat-message-topic` to every connection of
 * its audience (event.recipientIds, or the conversation's current members) as a
 * `{type, data, correlationId}` frame whose data carries conversationId and eventId.
 */
export class DurableEventFanOut {
  constructor(
    private readonly audience: Pick<Audience, 'membersOf' | 'forgetMembers' | 'forgetConversations'>,
    private readonly fanOut: Pick<FanOut, 'fanOutToUsers'>,
  ) {}

  async deliver(event: ChatEvent): Promise<void> {
    const started = Date.now();
    const { result: report, dynamoRequests } = await countDynamoRequests(async () => {
      // Events that change who belongs where: the cached member and conversation lists go stale with them.
      const membershipChanged = DURABLE_EVENTS[event.type].membershipChange;
      // Forget first, so this event's own audience is read fresh.
      if (membershipChanged) await this.audience.forgetMembers(event.conversationId);
      const recipients = event.recipientIds ?? (await this.audience.membersOf(event.conversationId));
      if (membershipChanged) await this.audience.forgetConversations(recipients);
      const frame = serverFrame(event.type, { ...event.data, conversationId: event.conversationId, eventId: event.eventId }, event.correlationId);
      return this.fanOut.fanOutToUsers(frame, recipients);
    });
    logger.info('fanout.completed', { eventType: event.type, eventId: event.eventId, conversationId: event.conversationId, ...report, dynamoRequests, durationMs: Date.now() - started });
  }
}
