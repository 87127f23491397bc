import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as v from 'valibot';
import { badRequest, forbidden, unauthorized } from '../../src/errors';
import { answer, httpRoute } from '../../src/http/handler';
import { Metrics } from '../../src/observability/metrics';
import { ok } from '../../src/http/responses';
import { type TokenVerifier } from '../../src/auth/token-verifier';

const metrics = new Metrics({ send: async () => ({}) } as never, async () => false);
const flush = jest.spyOn(metrics, 'flush');
const verifier = {
  verify: async (token: string | undefined) => {
    if (token !== 'good') throw unauthorized();
    return { userId: 'u1', tokenUse: 'access', issuedAt: 0, expiresAt: 0 };
  },
} as unknown as TokenVerifier;
const route = httpRoute({ verifier: () => verifier, metrics: () => metrics });
const context = { awsRequestId: 'req-1' } as Context;

function event(overrides: Partial<APIGatewayProxyEventV2> & { headers?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  return { routeKey: 'POST /x', rawPath: '/x', headers: { authorization: 'Bearer good' }, requestContext: { requestId: 'api-1' }, ...overrides } as APIGatewayProxyEventV2;
}
const body = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

describe('httpRoute', () => {
  const doc = { summary: 'test route', answers: { 200: answer('ok') } };
  const echo = route({ ...doc, body: v.strictObject({ name: v.pipe(v.string(), v.maxLength(5)) }) }, async ({ body, user }) => ok({ name: body.name, userId: user.userId }));

  beforeEach(() => process.stdout.write === process.stdout.write && jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
  afterEach(() => jest.restoreAllMocks());

  it('authenticates, validates and answers with the correlation id', async () => {
    const result = await echo(event({ body: '{"name":"ann"}', headers: { authorization: 'Bearer good', 'x-correlation-id': 'corr-1' } }), context);
    expect(result.statusCode).toBe(200);
    expect(body(result)).toEqual({ name: 'ann', userId: 'u1' });
    expect(result.headers?.['x-correlation-id']).toBe('corr-1');
    expect(flush).toHaveBeenCalled();
  });

  it.each([
    ['no token', { headers: {} }, 401, undefined],
    ['a bad token', { headers: { authorization: 'Bearer bad' } }, 401, undefined],
    ['no body', {}, 400, undefined],
    ['invalid JSON', { body: '{nope' }, 400, undefined],
    ['a wrong type', { body: '{"name":1}' }, 400, 'name'],
    ['a too long string', { body: '{"name":"abcdef"}' }, 400, 'name'],
    ['an unknown field', { body: '{"name":"a","admin":true}' }, 400, 'admin'],
    ['a body over the limit', { body: JSON.stringify({ name: 'x'.repeat(70_000) }) }, 413, undefined],
  ])('refuses %s', async (_what, overrides, status, field) => {
    const result = await echo(event({ headers: { authorization: 'Bearer good' }, ...overrides } as never), context);
    expect(result.statusCode).toBe(status);
    expect(body(result).error).toMatchObject({ code: expect.any(String), message: expect.any(String), requestId: 'req-1' });
    expect(body(result).error.field).toBe(field);
  });

  it('decodes base64 bodies', async () => {
    const result = await echo(event({ body: Buffer.from('{"name":"b64"}').toString('base64'), isBase64Encoded: true }), context);
    expect(body(result).name).toBe('b64');
  });

  it('maps client errors from use cases and hides everything else behind a 500', async () => {
    const failing = (err: unknown) => route(doc, async () => {
      throw err;
    });
    expect((await failing(forbidden('nope'))(event(), context)).statusCode).toBe(403);
    expect(body(await failing(badRequest('bad', 'f'))(event(), context)).error.field).toBe('f');
    const crash = await failing(new Error('secret table name'))(event(), context);
    expect(crash.statusCode).toBe(500);
    expect(crash.body).not.toContain('secret');
  });

  it('lets public routes through without a token', async () => {
    const open = route({ ...doc, public: true }, async ({ user }) => ok({ user: user ?? null }));
    expect(body(await open(event({ headers: {} }), context))).toEqual({ user: null });
  });
});
