import { randomUUID } from 'node:crypto';
import type { TestUser } from '../../../test/support/http';
import { connectApi, group, messageApi, sendOverHttp, settle, TestSocket, users, type Frame } from './support';

/**
 * Three members (Ann on two devices, Ben, Cat) and a stranger, driven the way clients drive the
 * system: HTTP to connectService and messageService, WebSocket to realTimeService.
 */
describe('realTimeService: end to end', () => {
  let ann: TestUser, ben: TestUser, cat: TestUser, dan: TestUser, stranger: TestUser;
  let annPhone: TestSocket, annLaptop: TestSocket, benSocket: TestSocket, catSocket: TestSocket, strangerSocket: TestSocket;
  let conversationId: string;
  const members = () => [annPhone, annLaptop, benSocket, catSocket];

  beforeAll(async () => {
    [ann, ben, cat, dan, stranger] = (await users('Ann Realtime', 'Ben Realtime', 'Cat Realtime', 'Dan Realtime', 'Stranger Realtime')) as TestUser[];
    [annPhone, annLaptop, benSocket, catSocket, strangerSocket] = await Promise.all([
      TestSocket.open(ann.accessToken, 'ann-phone'),
      TestSocket.open(ann.accessToken, 'ann-laptop'),
      TestSocket.open(ben.accessToken, 'ben'),
      TestSocket.open(cat.accessToken, 'cat'),
      TestSocket.open(stranger.accessToken, 'stranger'),
    ]);
    conversationId = await group(ann, [ben, cat], 'End to end');
  });

  afterAll(async () => {
    await Promise.all([...members(), strangerSocket].map((s) => s?.close()));
  });

  const messagesIn = (socket: TestSocket) => socket.eventsOf('message.created', { conversationId });

  it('announces the new conversation to every device of every member', async () => {
    for (const socket of members()) {
      const created = await socket.waitForEvent('conversation.created', { conversationId });
      expect(created.data).toMatchObject({ conversationId, eventId: expect.any(String), conversation: { name: 'End to end' } });
      expect(created.correlationId).toEqual(expect.any(String));
    }
  });

  it('delivers a message sent over WebSocket and one sent over HTTP to every device exactly once, in seq order; the sender is acked', async () => {
    const clientMessageId = randomUUID();
    const ack = await annPhone.request({ action: 'message', conversationId, content: 'Hello over the socket', clientMessageId });
    expect(ack).toEqual({
      type: 'ack',
      data: { clientMessageId, messageId: expect.any(String), seq: 1, conversationId },
      correlationId: expect.any(String),
    });
    for (const socket of members()) await socket.waitForEvent('message.created', { seq: 1 });

    const sent = await sendOverHttp(ben, conversationId, 'Hello over HTTP');
    expect(sent.seq).toBe(2);
    for (const socket of members()) await socket.waitForEvent('message.created', { seq: 2 });

    await settle();
    for (const socket of members()) {
      const received = messagesIn(socket);
      expect({ device: socket.label, seqs: received.map((f) => f.data.seq) }).toEqual({ device: socket.label, seqs: [1, 2] });
      expect(received[0]).toMatchObject({
        data: { messageId: ack.data.messageId, senderId: ann.userId, content: 'Hello over the socket', clientMessageId, eventId: expect.any(String) },
        correlationId: ack.correlationId,
      });
      expect(received[1]!.data).toMatchObject({ messageId: sent.messageId, senderId: ben.userId, content: 'Hello over HTTP' });
    }
    expect(annPhone.eventsOf('ack')).toHaveLength(1);
    expect(annLaptop.eventsOf('ack')).toHaveLength(0);
  });

  it('tells the others who is typing, not the typist, and when they stop', async () => {
    benSocket.send({ action: 'typing', conversationId, isTyping: true });
    for (const socket of [annPhone, annLaptop, catSocket]) {
      await socket.waitForEvent('typing', { conversationId, userId: ben.userId, isTyping: true });
    }
    benSocket.send({ action: 'typing', conversationId, isTyping: false });
    for (const socket of [annPhone, annLaptop, catSocket]) {
      await socket.waitForEvent('typing', { conversationId, userId: ben.userId, isTyping: false });
    }
    await settle();
    expect(benSocket.eventsOf('typing')).toHaveLength(0);
  });

  it('lets a `typing: true` lapse by itself when no `false` follows', async () => {
    catSocket.send({ action: 'typing', conversationId, isTyping: true });
    await annPhone.waitForEvent('typing', { userId: cat.userId, isTyping: true });
    const stopped = await annPhone.waitForEvent('typing', { userId: cat.userId, isTyping: false });
    expect(stopped.data).toEqual({ conversationId, userId: cat.userId, isTyping: false });
  });

  it('delivers edits, deletes and read receipts', async () => {
    const [first, second] = messagesIn(annPhone).map((f) => f.data);
    expect((await messageApi('PATCH', `/conversations/${conversationId}/messages/${first.messageId}`, ann, { content: 'Hello, edited' })).status).toBe(200);
    expect((await messageApi('DELETE', `/conversations/${conversationId}/messages/${second.messageId}`, ben)).status).toBe(200);
    expect((await messageApi('POST', `/conversations/${conversationId}/messages/${second.messageId}/read`, cat)).status).toBe(200);

    for (const socket of members()) {
      expect((await socket.waitForEvent('message.edited', { messageId: first.messageId })).data).toMatchObject({ content: 'Hello, edited', conversationId });
      expect((await socket.waitForEvent('message.deleted', { messageId: second.messageId })).data).toMatchObject({ seq: 2, conversationId });
      expect((await socket.waitForEvent('message.read', { userId: cat.userId })).data).toMatchObject({ messageId: second.messageId, lastReadSeq: 2 });
    }
  });

  it('delivers member added and removed; from then on the new member receives and the removed one does not', async () => {
    const danSocket = await TestSocket.open(dan.accessToken, 'dan');
    try {
      expect((await connectApi('POST', `/conversations/${conversationId}/members`, ann, { userId: dan.userId })).status).toBe(201);
      for (const socket of [...members(), danSocket]) await socket.waitForEvent('member.added', { conversationId });
      expect(danSocket.eventsOf('member.added')[0]!.data).toMatchObject({ member: { userId: dan.userId } });

      expect((await connectApi('DELETE', `/conversations/${conversationId}/members/${cat.userId}`, ann)).status).toBe(204);
      for (const socket of [...members(), danSocket]) {
        expect((await socket.waitForEvent('member.removed', { conversationId })).data).toMatchObject({ userId: cat.userId });
      }

      const after = await sendOverHttp(ann, conversationId, 'After the changes');
      for (const socket of [annPhone, annLaptop, benSocket, danSocket]) await socket.waitForEvent('message.created', { seq: after.seq });
      await settle();
      expect(catSocket.eventsOf('message.created', { seq: after.seq })).toHaveLength(0);
      expect(danSocket.eventsOf('message.created', { conversationId }).map((f: Frame) => f.data.seq)).toEqual([after.seq]);
    } finally {
      await danSocket.close();
    }
  });

  it('sends nothing to a user who is not a member', async () => {
    await settle();
    expect(strangerSocket.frames).toEqual([]);
  });
});

describe('realTimeService: presence', () => {
  it('says online with a user\'s first connection and offline when the last one goes, counting devices', async () => {
    const [pat, quinn] = (await users('Pat Presence', 'Quinn Presence')) as TestUser[];
    await group(pat!, [quinn!], 'Presence');
    const watcher = await TestSocket.open(quinn!.accessToken, 'quinn');
    try {
      const phone = await TestSocket.open(pat!.accessToken, 'pat-phone');
      await watcher.waitForEvent('presence', { userId: pat!.userId, status: 'online' });
      const laptop = await TestSocket.open(pat!.accessToken, 'pat-laptop');
      await phone.close();
      await settle();
      expect(watcher.eventsOf('presence', { userId: pat!.userId }).map((f) => f.data.status)).toEqual(['online']);

      await laptop.close();
      await watcher.waitForEvent('presence', { userId: pat!.userId, status: 'offline' });
      await settle();
      expect(watcher.eventsOf('presence', { userId: pat!.userId }).map((f) => f.data.status)).toEqual(['online', 'offline']);
      expect(phone.eventsOf('presence', { userId: pat!.userId })).toHaveLength(0);
    } finally {
      await watcher.close();
    }
  });
});
