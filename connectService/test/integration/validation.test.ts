import { expectError, type TestUser } from '../../../test/support/http';
import { endpoints } from '../../../test/support/stack';
import { connect, group, users } from './support';

/** Every route of the service, with a valid request to vary. */
function routes(id: string, other: TestUser) {
  return [
    { name: 'createConversation', method: 'POST', path: '/conversations', body: { name: 'Valid', memberIds: [] as string[] } },
    { name: 'getConversations', method: 'GET', path: '/conversations' },
    { name: 'getConversation', method: 'GET', path: `/conversations/${id}` },
    { name: 'updateConversation', method: 'PATCH', path: `/conversations/${id}`, body: { name: 'Valid' } },
    { name: 'deleteConversation', method: 'DELETE', path: `/conversations/${id}` },
    { name: 'getMembers', method: 'GET', path: `/conversations/${id}/members` },
    { name: 'addMember', method: 'POST', path: `/conversations/${id}/members`, body: { userId: other.userId } },
    { name: 'removeMember', method: 'DELETE', path: `/conversations/${id}/members/${other.userId}` },
    { name: 'searchUsers', method: 'GET', path: '/users/search?q=a' },
    { name: 'createDirectConversation', method: 'POST', path: '/conversations/direct', body: { userId: other.userId } },
  ];
}

interface BadCase {
  path: string;
  body?: unknown;
  rawBody?: string;
  status: number;
  field?: string;
}

describe('connectService: bad input and missing tokens', () => {
  let owner: TestUser, other: TestUser;
  let id: string;
  beforeAll(async () => {
    [owner, other] = await users('Val Owner', 'Val Other');
    id = await group(owner, [], 'Validation');
  });

  it('answers 401 on every route without a token, with a malformed one, and after sign-out', async () => {
    const [leaver] = await users('Val Leaver');
    const signOut = await fetch(`${endpoints().auth}/signOut`, {
      method: 'POST',
      headers: { authorization: `Bearer ${leaver!.accessToken}` },
    });
    expect(signOut.status).toBe(204);
    const forged = `${Buffer.from('{"alg":"RS256","kid":"x"}').toString('base64url')}.${Buffer.from(`{"sub":"${owner.userId}"}`).toString('base64url')}.c2ln`;
    for (const route of routes(id, other)) {
      for (const token of [undefined, 'not-a-jwt', forged, leaver!.accessToken]) {
        const answer = await connect(route.method, route.path, token, route.body);
        expect({ route: route.name, status: answer.status }).toEqual({ route: route.name, status: 401 });
        expectError(answer, 401);
      }
    }
    // Nothing was changed by any of them.
    expect((await connect('GET', `/conversations/${id}`, owner)).body.name).toBe('Validation');
  });

  it('answers 400 naming the field for bad input to each route, and never a 5xx', async () => {
    const long = (n: number) => 'x'.repeat(n);
    const badId = 'bad!id';
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `user-${i}`);
    const body = (path: string, b: unknown, field?: string): BadCase => ({ path, body: b, status: 400, field });
    const raw = (path: string, rawBody: string | undefined, status = 400): BadCase => ({ path, rawBody, status });
    const cases: Record<string, BadCase[]> = {
      'POST /conversations': [
        raw('/conversations', undefined),
        raw('/conversations', '{"name":'),
        raw('/conversations', '[]'),
        raw('/conversations', JSON.stringify({ name: long(70_000) }), 413),
        body('/conversations', { memberIds: [] }, 'name'),
        body('/conversations', { name: '', memberIds: [] }, 'name'),
        body('/conversations', { name: '   ', memberIds: [] }, 'name'),
        body('/conversations', { name: long(101), memberIds: [] }, 'name'),
        body('/conversations', { name: 42, memberIds: [] }, 'name'),
        body('/conversations', { name: 'a\nb', memberIds: [] }, 'name'),
        body('/conversations', { name: 'ok', description: long(1001), memberIds: [] }, 'description'),
        body('/conversations', { name: 'ok', description: { x: 1 }, memberIds: [] }, 'description'),
        body('/conversations', { name: 'ok', memberIds: 'abc' }, 'memberIds'),
        body('/conversations', { name: 'ok', memberIds: ids(51) }, 'memberIds'),
        body('/conversations', { name: 'ok', memberIds: [badId] }, 'memberIds.0'),
        body('/conversations', { name: 'ok', memberIds: [long(200)] }, 'memberIds.0'),
        body('/conversations', { name: 'ok', memberIds: [], owner: 'me' }, 'owner'),
      ],
      'GET /conversations': [
        { path: '/conversations?limit=0', status: 400, field: 'limit' },
        { path: '/conversations?limit=51', status: 400, field: 'limit' },
        { path: '/conversations?limit=1.5', status: 400, field: 'limit' },
        { path: '/conversations?limit=abc', status: 400, field: 'limit' },
        { path: '/conversations?cursor=%7B%7D', status: 400, field: 'cursor' },
        { path: `/conversations?cursor=${long(2049)}`, status: 400, field: 'cursor' },
        { path: '/conversations?userId=someone', status: 400, field: 'userId' },
      ],
      'GET /conversations/{id}': [
        { path: `/conversations/${badId}`, status: 400, field: 'conversationId' },
        { path: `/conversations/${long(129)}`, status: 400, field: 'conversationId' },
      ],
      'PATCH /conversations/{id}': [
        raw(`/conversations/${id}`, undefined),
        raw(`/conversations/${id}`, 'not json'),
        body(`/conversations/${id}`, {}),
        body(`/conversations/${id}`, { name: '' }, 'name'),
        body(`/conversations/${id}`, { name: long(101) }, 'name'),
        body(`/conversations/${id}`, { description: long(1001) }, 'description'),
        body(`/conversations/${id}`, { description: 7 }, 'description'),
        body(`/conversations/${id}`, { name: 'ok', memberCount: 1 }, 'memberCount'),
        body(`/conversations/${badId}`, { name: 'ok' }, 'conversationId'),
      ],
      'DELETE /conversations/{id}': [{ path: `/conversations/${badId}`, status: 400, field: 'conversationId' }],
      'GET /conversations/{id}/members': [{ path: `/conversations/${badId}/members`, status: 400, field: 'conversationId' }],
      'POST /conversations/{id}/members': [
        raw(`/conversations/${id}/members`, undefined),
        body(`/conversations/${id}/members`, {}, 'userId'),
        body(`/conversations/${id}/members`, { userId: badId }, 'userId'),
        body(`/conversations/${id}/members`, { userId: 5 }, 'userId'),
        body(`/conversations/${id}/members`, { userId: 'x', role: 'king' }, 'role'),
        body(`/conversations/${id}/members`, { userId: 'x', isAdmin: true }, 'isAdmin'),
        body(`/conversations/${badId}/members`, { userId: 'x' }, 'conversationId'),
      ],
      'DELETE /conversations/{id}/members/{userId}': [
        { path: `/conversations/${id}/members/${badId}`, status: 400, field: 'userId' },
        { path: `/conversations/${badId}/members/x`, status: 400, field: 'conversationId' },
      ],
      'POST /conversations/direct': [
        raw('/conversations/direct', undefined),
        raw('/conversations/direct', '"just a string"'),
        body('/conversations/direct', {}, 'userId'),
        body('/conversations/direct', { userId: '' }, 'userId'),
        body('/conversations/direct', { userId: badId }, 'userId'),
        body('/conversations/direct', { userId: 'x', name: 'dm' }, 'name'),
      ],
    };
    for (const [route, list] of Object.entries(cases)) {
      const method = route.split(' ')[0]!;
      for (const c of list) {
        const answer = await connect(method, c.path, owner, c.body, { rawBody: c.rawBody });
        const what = `${route} ${c.path.slice(0, 60)} ${(c.rawBody ?? JSON.stringify(c.body) ?? '').slice(0, 60)}`;
        expect({ what, status: answer.status }).toEqual({ what, status: c.status });
        expectError(answer, c.status, c.field);
      }
    }
    // None of it changed the conversation.
    const after = await connect('GET', `/conversations/${id}`, owner);
    expect(after.body).toMatchObject({ name: 'Validation', memberCount: 1 });
  });
});
