import { chatEvent } from '@shared/chat/events/chat-event';
import type { ServerFrame } from '@shared/platform/websocket';
import { DurableEventFanOut } from '../../src/durable-events';
import { FakeAudience } from './fakes';

function setup() {
  const audience = new FakeAudience();
  const sent: { frame: ServerFrame; userIds: readonly string[] }[] = [];
  const fanOut = {
    fanOutToUsers: async (frame: ServerFrame, userIds: readonly string[]) => {
      sent.push({ frame, userIds });
      return { recipients: userIds.length, connections: 0, delivered: 0, gone: 0, failed: 0 };
    },
  };
  return { audience, sent, events: new DurableEventFanOut(audience, fanOut) };
}

describe('DurableEventFanOut', () => {
  it('sends {type, data, correlationId} with conversationId and eventId in data to the current members', async () => {
    const { audience, sent, events } = setup();
    audience.members.set('c-1', ['ann', 'ben']);
    const event = chatEvent('message.created', 'c-1', { messageId: 'm-1', seq: 3 }, 'corr-7');
    await events.deliver(event);
    expect(sent).toEqual([
      {
        frame: { type: 'message.created', data: { messageId: 'm-1', seq: 3, conversationId: 'c-1', eventId: event.eventId }, correlationId: 'corr-7' },
        userIds: ['ann', 'ben'],
      },
    ]);
    expect(audience.forgotten).toEqual([]);
  });

  it('sends to recipientIds when the event names them (a removed member, a deleted conversation)', async () => {
    const { audience, sent, events } = setup();
    audience.members.set('c-1', ['ann']);
    await events.deliver(chatEvent('member.removed', 'c-1', { userId: 'ben' }, 'corr', ['ann', 'ben']));
    expect(sent[0]!.userIds).toEqual(['ann', 'ben']);
  });

  it.each(['conversation.created', 'member.added', 'member.removed', 'conversation.deleted'] as const)(
    'forgets the cached members and the audience\'s conversation lists on %s, before reading the audience',
    async (type) => {
      const { audience, events } = setup();
      audience.members.set('c-1', ['ann', 'dan']);
      await events.deliver(chatEvent(type, 'c-1', {}, 'corr'));
      expect(audience.forgotten).toEqual(['members:c-1', 'conversations:ann', 'conversations:dan']);
    },
  );

  it('keeps the caches on other events', async () => {
    const { audience, events } = setup();
    audience.members.set('c-1', ['ann']);
    for (const type of ['message.created', 'message.edited', 'message.deleted', 'message.read', 'conversation.updated'] as const) {
      await events.deliver(chatEvent(type, 'c-1', {}, 'corr'));
    }
    expect(audience.forgotten).toEqual([]);
  });
});
