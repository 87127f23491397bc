import type { Context } from 'aws-lambda';
import * as v from 'valibot';
import { forbidden, unauthorized } from '../../src/errors';
import { fields } from '../../src/validation';
import type { AuthenticatedUser } from '../../src/auth/token-verifier';
import { serverFrame } from '../../src/websocket/frames';
import { websocketRoutes, type WebSocketEvent } from '../../src/websocket/handler';

const context = (id = 'lambda-request-1') => ({ awsRequestId: id }) as Context;
const event = (body: string | undefined, extra: Partial<WebSocketEvent> = {}): WebSocketEvent => ({
  requestContext: { connectionId: 'conn-1', routeKey: 'typing', requestId: 'api-1' },
  body,
  ...extra,
});
const USER: AuthenticatedUser = { userId: 'user-1', tokenUse: 'access', issuedAt: 1, expiresAt: 2 };

function setup(identify: (id: string) => Promise<AuthenticatedUser> = async () => USER) {
  const flushes: number[] = [];
  const metrics = { flush: async () => void flushes.push(1) } as never;
  const identified: string[] = [];
  const ws = websocketRoutes({
    metrics: () => metrics,
    identify: async (id) => {
      identified.push(id);
      return identify(id);
    },
  });
  return { ws, flushes, identified };
}

const Frame = v.strictObject({ action: v.literal('typing'), conversationId: fields.id, isTyping: v.boolean() });
const parse = (result: { body?: string }) => JSON.parse(result.body!);

describe('websocketRoutes().route', () => {
  it('validates the frame, identifies the connection and returns the answer as the route response', async () => {
    const { ws, flushes, identified } = setup();
    const handler = ws.route({ frame: Frame }, async ({ frame, user, ctx }) => serverFrame('ack', { ...frame, userId: user.userId }, ctx.correlationId));
    const result = await handler(event(JSON.stringify({ action: 'typing', conversationId: 'c-1', isTyping: true })), context());
    expect(result.statusCode).toBe(200);
    expect(parse(result)).toEqual({
      type: 'ack',
      data: { action: 'typing', conversationId: 'c-1', isTyping: true, userId: 'user-1' },
      correlationId: 'lambda-request-1',
    });
    expect(identified).toEqual(['conn-1']);
    expect(flushes).toHaveLength(1);
  });

  it('answers nothing (but 200) when the use case has nothing to say', async () => {
    const { ws } = setup();
    const result = await ws.route({ frame: Frame }, async () => undefined)(event(JSON.stringify({ action: 'typing', conversationId: 'c', isTyping: false })), context());
    expect(result).toEqual({ statusCode: 200 });
  });

  it.each([
    ['invalid JSON', '{nope', { code: 'BAD_REQUEST', message: 'Frame is not valid JSON' }],
    ['an unknown field', JSON.stringify({ action: 'typing', conversationId: 'c', isTyping: true, userId: 'x' }), { code: 'BAD_REQUEST', field: 'userId' }],
    ['a wrong type', JSON.stringify({ action: 'typing', conversationId: 'c', isTyping: 'yes' }), { code: 'BAD_REQUEST', field: 'isTyping' }],
    ['an oversized frame', JSON.stringify({ action: 'typing', conversationId: 'x'.repeat(40_000), isTyping: true }), { code: 'PAYLOAD_TOO_LARGE' }],
  ])('turns %s into an error frame without calling the use case or identifying', async (_what, body, expected) => {
    const { ws, identified } = setup();
    const fn = jest.fn();
    const result = await ws.route({ frame: Frame }, fn)(event(body), context('req-9'));
    expect(result.statusCode).toBe(200);
    expect(parse(result)).toMatchObject({ type: 'error', data: { ...expected, requestId: 'req-9' }, correlationId: 'req-9' });
    expect(fn).not.toHaveBeenCalled();
    expect(identified).toEqual([]);
  });

  it('echoes the action and clientMessageId of the frame that failed, when they are sane', async () => {
    const { ws } = setup();
    const handler = ws.route({ frame: v.object({ action: v.string(), clientMessageId: v.string() }) }, async () => {
      throw forbidden('You are not a member of this conversation');
    });
    const ok = parse(await handler(event(JSON.stringify({ action: 'message', clientMessageId: 'c-42' })), context()));
    expect(ok.data).toMatchObject({ code: 'FORBIDDEN', action: 'message', clientMessageId: 'c-42' });
    const odd = parse(await handler(event(JSON.stringify({ action: 'message', clientMessageId: '<script>' })), context()));
    expect(odd.data.clientMessageId).toBeUndefined();
  });

  it('says no more than "Internal error" for a fault of ours', async () => {
    const { ws } = setup();
    const result = await ws.route({ frame: Frame }, async () => {
      throw new Error('secret table name in a stack trace');
    })(event(JSON.stringify({ action: 'typing', conversationId: 'c', isTyping: true })), context());
    expect(parse(result).data).toEqual({ code: 'INTERNAL', message: 'Internal error', requestId: 'lambda-request-1', action: 'typing' });
  });

  it('refuses a frame from a connection that cannot be identified', async () => {
    const { ws } = setup(async () => {
      throw unauthorized('Token has been revoked; reconnect with a new one');
    });
    const fn = jest.fn();
    const result = await ws.route({ frame: Frame }, fn)(event(JSON.stringify({ action: 'typing', conversationId: 'c', isTyping: true })), context());
    expect(parse(result).data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/revoked/) });
    expect(fn).not.toHaveBeenCalled();
  });

  it('hands anonymous routes the raw text without a lookup', async () => {
    const { ws, identified } = setup();
    const result = await ws.route({ anonymous: true }, async ({ raw, user }) => serverFrame('echo', { raw, user: user ?? null }, 'c'))(event('plain text'), context());
    expect(parse(result).data).toEqual({ raw: 'plain text', user: null });
    expect(identified).toEqual([]);
  });

  it('reads base64-encoded frames', async () => {
    const { ws } = setup();
    const body = Buffer.from(JSON.stringify({ action: 'typing', conversationId: 'c', isTyping: true })).toString('base64');
    const result = await ws.route({ frame: Frame }, async ({ frame }) => serverFrame('ok', frame, 'c'))(event(body, { isBase64Encoded: true }), context());
    expect(parse(result).data).toEqual({ action: 'typing', conversationId: 'c', isTyping: true });
  });
});

describe('websocketRoutes().lifecycle', () => {
  it('answers 200 when the use case succeeds and hands it the query string', async () => {
    const { ws, flushes } = setup();
    const seen: unknown[] = [];
    const result = await ws.lifecycle(async ({ query, ctx }) => void seen.push(query.token, ctx.connectionId))(
      event(undefined, { queryStringParameters: { token: 't-1' } }),
      context(),
    );
    expect(result).toEqual({ statusCode: 200 });
    expect(seen).toEqual(['t-1', 'conn-1']);
    expect(flushes).toHaveLength(1);
  });

  it('refuses with the status of a client error (401 for a bad token) and 500 for anything else', async () => {
    const { ws } = setup();
    expect(await ws.lifecycle(async () => Promise.reject(unauthorized()))(event(undefined), context())).toEqual({ statusCode: 401 });
    expect(await ws.lifecycle(async () => Promise.reject(new Error('boom')))(event(undefined), context())).toEqual({ statusCode: 500 });
  });
});
