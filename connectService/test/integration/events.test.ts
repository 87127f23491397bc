import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { awsConfig, endpoints } from '../../../test/support/stack';
import { connect, group, users } from './support';

/**
 * Listens on `chat-message-topic` through an HTTP subscription of its own (removed afterwards), so
 * the test sees the events exactly as SNS hands them to snsFanoutHandler.
 */
async function listenToEvents() {
  const received: any[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        received.push(JSON.parse(JSON.parse(body).Message));
      } catch {
        /* not a notification */
      }
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sns = new SNSClient(awsConfig(endpoints().sns));
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: endpoints().topicArn,
      Protocol: 'http',
      Endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      ReturnSubscriptionArn: true,
    }),
  );
  return {
    /** Waits until `count` events of this conversation arrived (or gives up after a while). */
    async eventsOf(conversationId: string, count: number): Promise<any[]> {
      const mine = () => received.filter((e) => e.conversationId === conversationId);
      for (let i = 0; i < 100 && mine().length < count; i++) await new Promise((r) => setTimeout(r, 100));
      return mine();
    },
    async close() {
      await sns.send(new UnsubscribeCommand({ SubscriptionArn })).catch(() => undefined);
      sns.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('connectService: events', () => {
  it('announces every change after it is stored, naming removed and former members as recipients', async () => {
    const listener = await listenToEvents();
    try {
      const [owner, bob, cy] = await users('Eve Owner', 'Bob Event', 'Cy Event');
      const id = await group(owner!, [bob!], 'Eventful');
      expect((await connect('PATCH', `/conversations/${id}`, owner!, { name: 'Renamed' }, {})).status).toBe(200);
      expect((await connect('POST', `/conversations/${id}/members`, owner!, { userId: cy!.userId })).status).toBe(201);
      expect((await connect('DELETE', `/conversations/${id}/members/${bob!.userId}`, owner!)).status).toBe(204);
      expect((await connect('DELETE', `/conversations/${id}`, owner!)).status).toBe(204);

      const events = await listener.eventsOf(id, 5);
      const byType = Object.fromEntries(events.map((e) => [e.type, e]));
      expect(events.map((e) => e.type).sort()).toEqual(
        ['conversation.created', 'conversation.deleted', 'conversation.updated', 'member.added', 'member.removed'].sort(),
      );
      for (const e of events) {
        expect(e).toMatchObject({ eventId: expect.any(String), conversationId: id, correlationId: expect.any(String), occurredAt: expect.any(String) });
      }
      expect(byType['conversation.created'].data).toMatchObject({ conversation: { conversationId: id, name: 'Eventful', memberCount: 2 } });
      expect(byType['conversation.updated'].data).toMatchObject({ conversation: { name: 'Renamed' }, changed: ['name'] });
      expect(byType['member.added'].data).toMatchObject({ member: { userId: cy!.userId, role: 'member' }, memberCount: 3 });
      expect(byType['member.removed'].data).toMatchObject({ userId: bob!.userId, removedBy: owner!.userId, left: false });
      expect(byType['member.removed'].recipientIds).toContain(bob!.userId);
      expect(byType['conversation.deleted'].recipientIds.sort()).toEqual([owner!.userId, cy!.userId].sort());
    } finally {
      await listener.close();
    }
  });

  it('carries the caller\'s correlation id', async () => {
    const listener = await listenToEvents();
    try {
      const [owner] = await users('Corr Owner');
      const correlationId = `corr-${Date.now()}`;
      const answer = await fetch(`${endpoints().connect}/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner!.accessToken}`, 'content-type': 'application/json', 'x-correlation-id': correlationId },
        body: JSON.stringify({ name: 'Correlated', memberIds: [] }),
      });
      expect(answer.status).toBe(201);
      const { conversationId } = (await answer.json()) as { conversationId: string };
      const [created] = await listener.eventsOf(conversationId, 1);
      expect(created).toMatchObject({ type: 'conversation.created', correlationId });
    } finally {
      await listener.close();
    }
  });
});
