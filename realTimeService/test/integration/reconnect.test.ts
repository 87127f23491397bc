import type { TestUser } from '../../../test/support/http';
import { group, messageApi, sendOverHttp, TestSocket, users } from './support';

describe('realTimeService: reconnecting', () => {
  it('after a disconnect, live events plus fetchMessage?after=<last seq> give every message exactly once', async () => {
    const [ann, ben] = (await users('Ann Reconnect', 'Ben Reconnect')) as TestUser[];
    const conversationId = await group(ann!, [ben!], 'Reconnect');
    let benSocket = await TestSocket.open(ben!.accessToken, 'ben');
    const annSocket = await TestSocket.open(ann!.accessToken, 'ann');
    try {
      await sendOverHttp(ann!, conversationId, 'message 1');
      await benSocket.waitForEvent('message.created', { seq: 1 });
      // What Ben's client keeps: messages by seq.
      const seen = new Map<number, any>(benSocket.eventsOf('message.created', { conversationId }).map((f) => [f.data.seq, f.data]));
      const lastSeq = Math.max(...seen.keys());
      await benSocket.close();

      for (let i = 2; i <= 21; i++) {
        if (i % 2) await annSocket.request({ action: 'message', conversationId, content: `message ${i}`, clientMessageId: `reconnect-${i}` });
        else await sendOverHttp(ann!, conversationId, `message ${i}`);
      }

      benSocket = await TestSocket.open(ben!.accessToken, 'ben again');
      const fetched: any[] = [];
      let after = lastSeq;
      for (let page = 0; page < 10; page++) {
        const answer = await messageApi('GET', `/conversations/${conversationId}/messages?after=${after}&limit=7`, ben!);
        expect(answer.status).toBe(200);
        fetched.push(...answer.body.items);
        if (!answer.body.nextCursor) break;
        after = Number(answer.body.nextCursor);
      }
      expect(fetched.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      // Events still in flight at the reconnect may arrive too: the client keys by seq.
      for (const message of [...fetched, ...benSocket.eventsOf('message.created', { conversationId }).map((f) => f.data)]) seen.set(message.seq, message);
      // Live delivery resumes for what is sent after the reconnect.
      const live = await sendOverHttp(ann!, conversationId, 'message 22');
      const frame = await benSocket.waitForEvent('message.created', { seq: live.seq });
      seen.set(frame.data.seq, frame.data);

      const seqs = [...seen.keys()].sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
      expect(seqs.map((s) => seen.get(s).content)).toEqual(seqs.map((s) => `message ${s}`));
      expect(new Set(seqs.map((s) => seen.get(s).messageId)).size).toBe(22);
    } finally {
      await Promise.all([benSocket.close(), annSocket.close()]);
    }
  });
});
