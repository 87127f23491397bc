import { call, newUser } from '../../../test/support/http';
import { endpoints } from '../../../test/support/stack';
import { group, TestSocket, users } from './support';

describe('realTimeService: connecting', () => {
  it('refuses a connection without a valid token with 401', async () => {
    await expect(TestSocket.open(undefined)).rejects.toMatchObject({ status: 401 });
    await expect(TestSocket.open('not-a-jwt')).rejects.toMatchObject({ status: 401 });
    const forged = `${Buffer.from('{"alg":"RS256","kid":"x"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.sig`;
    await expect(TestSocket.open(forged)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a token revoked by sign-out, and refuses frames from a connection opened before it', async () => {
    const user = await newUser('Revoked Socket');
    const [other] = await users('Revoked Peer');
    const conversationId = await group(user, [other!]);
    const socket = await TestSocket.open(user.accessToken, 'before sign-out');
    try {
      const ack = await socket.request({ action: 'message', conversationId, content: 'before', clientMessageId: 'rv-1' });
      expect(ack.type).toBe('ack');

      expect((await call(endpoints().auth, 'POST', '/signOut', { token: user.accessToken })).status).toBe(204);
      await expect(TestSocket.open(user.accessToken)).rejects.toMatchObject({ status: 401 });
      await expect(TestSocket.open(user.idToken)).rejects.toMatchObject({ status: 401 });

      const refused = await socket.request({ action: 'message', conversationId, content: 'after', clientMessageId: 'rv-2' });
      expect(refused).toMatchObject({ type: 'error', data: { code: 'UNAUTHORIZED', message: expect.stringMatching(/revoked/i), clientMessageId: 'rv-2' } });
    } finally {
      await socket.close();
    }
  });
});

describe('realTimeService: frames', () => {
  let socket: TestSocket;
  let conversationId: string;
  let outsiderConversation: string;

  beforeAll(async () => {
    const [me, friend, stranger, strangersFriend] = await users('Frame Sender', 'Frame Friend', 'Frame Stranger', 'Frame Other');
    conversationId = await group(me!, [friend!]);
    outsiderConversation = await group(stranger!, [strangersFriend!]);
    socket = await TestSocket.open(me!.accessToken, 'frames');
  });
  afterAll(() => socket.close());

  it('answers ping with pong, with a correlation id', async () => {
    const pong = await socket.request({ action: 'ping' });
    expect(pong).toEqual({ type: 'pong', data: {}, correlationId: expect.any(String) });
  });

  it.each([
    ['text that is not JSON', 'hello'],
    ['an unknown action', { action: 'dance' }],
    ['a frame without an action', { conversationId: 'c' }],
    ['a JSON array', [1, 2]],
  ])('answers %s with an error naming the supported actions', async (_what, frame) => {
    const error = await socket.request(frame);
    expect(error).toMatchObject({ type: 'error', data: { code: 'BAD_REQUEST', requestId: expect.any(String) } });
    expect(error.data.message).toMatch(/message, typing, ping/);
  });

  it.each([
    [{ action: 'message', conversationId: 'x', clientMessageId: 'v1' }, 'content'],
    [{ action: 'message', conversationId: 'x', content: 42, clientMessageId: 'v2' }, 'content'],
    [{ action: 'message', conversationId: 'has space', content: 'hi', clientMessageId: 'v3' }, 'conversationId'],
    [{ action: 'message', conversationId: 'x', content: 'hi', clientMessageId: 'v4', senderId: 'someone-else' }, 'senderId'],
    [{ action: 'message', conversationId: 'x', content: '   ', clientMessageId: 'v5' }, 'content'],
    [{ action: 'typing', conversationId: 'x' }, 'isTyping'],
    [{ action: 'typing', conversationId: 'x', isTyping: 'yes' }, 'isTyping'],
    [{ action: 'ping', extra: 1 }, 'extra'],
  ])('answers an invalid frame with a 400 error naming the field: %j', async (frame, field) => {
    const error = await socket.request(frame);
    expect(error).toMatchObject({ type: 'error', data: { code: 'BAD_REQUEST', field } });
  });

  it('answers content beyond the limit with PAYLOAD_TOO_LARGE, and a frame beyond 32 KiB too', async () => {
    const long = await socket.request({ action: 'message', conversationId, content: 'x'.repeat(4001), clientMessageId: 'big-1' });
    expect(long).toMatchObject({ type: 'error', data: { code: 'PAYLOAD_TOO_LARGE', field: 'content', clientMessageId: 'big-1' } });
    const huge = await socket.request({ action: 'message', conversationId, content: 'x'.repeat(40_000), clientMessageId: 'big-2' });
    expect(huge).toMatchObject({ type: 'error', data: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses to send or type into a conversation the user is not a member of', async () => {
    const send = await socket.request({ action: 'message', conversationId: outsiderConversation, content: 'let me in', clientMessageId: 'nm-1' });
    expect(send).toMatchObject({ type: 'error', data: { code: 'FORBIDDEN', action: 'message', clientMessageId: 'nm-1' } });
    const typing = await socket.request({ action: 'typing', conversationId: outsiderConversation, isTyping: true });
    expect(typing).toMatchObject({ type: 'error', data: { code: 'FORBIDDEN', action: 'typing' } });
    const missing = await socket.request({ action: 'message', conversationId: 'no-such-conversation', content: 'hello?', clientMessageId: 'nm-2' });
    expect(missing).toMatchObject({ type: 'error', data: { code: expect.stringMatching(/NOT_FOUND|FORBIDDEN/) } });
  });

  it('acks a send with the same message when clientMessageId repeats', async () => {
    const first = await socket.request({ action: 'message', conversationId, content: 'once', clientMessageId: 'idem-1' });
    const again = await socket.request({ action: 'message', conversationId, content: 'once', clientMessageId: 'idem-1' });
    expect(first).toMatchObject({ type: 'ack', data: { clientMessageId: 'idem-1', conversationId, messageId: expect.any(String), seq: expect.any(Number) } });
    expect(again.data).toEqual(first.data);
  });
});
