import { expectError, type TestUser } from '../../../test/support/http';
import { connect, group, UNKNOWN_USER_ID, users, warmUp } from './support';

const memberIds = async (id: string, as: TestUser) =>
  ((await connect('GET', `/conversations/${id}/members`, as)).body.items as any[]).map((m) => m.userId).sort();
const roleOf = async (id: string, as: TestUser, userId: string) =>
  ((await connect('GET', `/conversations/${id}/members`, as)).body.items as any[]).find((m) => m.userId === userId)?.role;

describe('connectService: members', () => {
  let owner: TestUser, admin: TestUser, member: TestUser, newcomer: TestUser, outsider: TestUser;
  beforeAll(async () => {
    [owner, admin, member, newcomer, outsider] = await users('Owen Owner', 'Ada Admin', 'Mel Member', 'Nia Newcomer', 'Otto Outsider');
  });

  async function team(): Promise<string> {
    const id = await group(owner, [member], 'Team');
    const added = await connect('POST', `/conversations/${id}/members`, owner, { userId: admin.userId, role: 'admin' });
    expect(added.status).toBe(201);
    return id;
  }

  it('adds a member (owners and admins) with role and join time; the count follows', async () => {
    const id = await team();
    const added = await connect('POST', `/conversations/${id}/members`, admin, { userId: newcomer.userId });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      conversationId: id,
      userId: newcomer.userId,
      fullName: 'Nia Newcomer',
      role: 'member',
      joinedAt: expect.any(String),
      lastReadSeq: 0,
    });
    expect(await memberIds(id, newcomer)).toEqual([owner.userId, admin.userId, member.userId, newcomer.userId].sort());
    expect((await connect('GET', `/conversations/${id}`, newcomer)).body.memberCount).toBe(4);
  });

  it('refuses adds that are not allowed (403), duplicates (409) and unknown users (404)', async () => {
    const id = await team();
    expectError(await connect('POST', `/conversations/${id}/members`, member, { userId: newcomer.userId }), 403);
    expectError(await connect('POST', `/conversations/${id}/members`, outsider, { userId: newcomer.userId }), 403);
    expectError(await connect('POST', `/conversations/${id}/members`, admin, { userId: newcomer.userId, role: 'owner' }), 403);
    expectError(await connect('POST', `/conversations/${id}/members`, owner, { userId: member.userId }), 409);
    expectError(await connect('POST', `/conversations/${id}/members`, owner, { userId: UNKNOWN_USER_ID }), 404, 'userId');
    expect(await memberIds(id, owner)).toEqual([owner.userId, admin.userId, member.userId].sort());
    expect((await connect('GET', `/conversations/${id}`, owner)).body.memberCount).toBe(3);
  });

  it('a removed member gets 403 at once, on every route', async () => {
    const id = await team();
    expect((await connect('GET', `/conversations/${id}`, member)).status).toBe(200);
    expect((await connect('DELETE', `/conversations/${id}/members/${member.userId}`, admin)).status).toBe(204);

    expectError(await connect('GET', `/conversations/${id}`, member), 403);
    expectError(await connect('GET', `/conversations/${id}/members`, member), 403);
    expectError(await connect('PATCH', `/conversations/${id}`, member, { name: 'x' }), 403);
    expectError(await connect('DELETE', `/conversations/${id}/members/${member.userId}`, member), 403);
    const list = await connect('GET', '/conversations?limit=50', member);
    expect(list.body.items.map((c: any) => c.conversationId)).not.toContain(id);
    expect((await connect('GET', `/conversations/${id}`, owner)).body.memberCount).toBe(2);
  });

  it('refuses removals that are not allowed (403) and non-members (404)', async () => {
    const id = await team();
    expectError(await connect('DELETE', `/conversations/${id}/members/${admin.userId}`, member), 403);
    expectError(await connect('DELETE', `/conversations/${id}/members/${owner.userId}`, admin), 403);
    expectError(await connect('DELETE', `/conversations/${id}/members/${member.userId}`, outsider), 403);
    expectError(await connect('DELETE', `/conversations/${id}/members/${outsider.userId}`, owner), 404);
    expect(await memberIds(id, owner)).toEqual([owner.userId, admin.userId, member.userId].sort());
  });

  it('anyone may leave; the last owner leaving hands ownership to the longest-standing admin', async () => {
    const id = await team();
    expect((await connect('DELETE', `/conversations/${id}/members/${member.userId}`, member)).status).toBe(204);
    expectError(await connect('GET', `/conversations/${id}`, member), 403);

    expect((await connect('DELETE', `/conversations/${id}/members/${owner.userId}`, owner)).status).toBe(204);
    expect(await roleOf(id, admin, admin.userId)).toBe('owner');
    // The new owner can do what owners do.
    expect((await connect('PATCH', `/conversations/${id}`, admin, { name: 'Handed on' })).status).toBe(200);
  });

  it('the last member leaving deletes the conversation', async () => {
    const id = await group(owner, [], 'Solo');
    expect((await connect('DELETE', `/conversations/${id}/members/${owner.userId}`, owner)).status).toBe(204);
    expectError(await connect('GET', `/conversations/${id}`, owner), 404);
  });

  it('keeps member counts exact when many join and leave at once', async () => {
    const id = await group(owner, [], 'Busy');
    const joiners = await users('J One', 'J Two', 'J Three', 'J Four', 'J Five', 'J Six');
    await warmUp('POST', `/conversations/${id}/members`, owner, 6);
    await warmUp('DELETE', `/conversations/${id}/members/not!an-id`, owner, 3, undefined);
    const adds = await Promise.all(joiners.map((j) => connect('POST', `/conversations/${id}/members`, owner, { userId: j.userId })));
    expect(adds.map((a) => a.status)).toEqual(joiners.map(() => 201));
    const leaves = await Promise.all(joiners.slice(0, 3).map((j) => connect('DELETE', `/conversations/${id}/members/${j.userId}`, j)));
    expect(leaves.map((a) => a.status)).toEqual([204, 204, 204]);
    const members = await memberIds(id, owner);
    expect(members).toHaveLength(4);
    expect((await connect('GET', `/conversations/${id}`, owner)).body.memberCount).toBe(4);
  }, 180_000);
});
