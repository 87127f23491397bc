import { randomUUID } from 'node:crypto';
import { expectError, type TestUser } from '../../../test/support/http';
import { connect, group, UNKNOWN_USER_ID, users } from './support';

describe('connectService: group conversations', () => {
  let ann: TestUser, bob: TestUser, cy: TestUser, outsider: TestUser;
  beforeAll(async () => {
    [ann, bob, cy, outsider] = await users('Ann Group', 'Bob Group', 'Cy Group', 'Olive Outsider');
  });

  it('creates a group with its owner and members; every member sees it, nobody else', async () => {
    const created = await connect('POST', '/conversations', ann, {
      name: '  Project X  ',
      description: 'Line one\nline two',
      memberIds: [bob.userId, cy.userId, bob.userId, ann.userId],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      conversationId: expect.any(String),
      type: 'group',
      name: 'Project X',
      description: 'Line one\nline two',
      createdBy: ann.userId,
      memberCount: 3,
      role: 'owner',
      unreadCount: 0,
      lastMessage: null,
      lastActivityAt: created.body.createdAt,
    });
    const id = created.body.conversationId;

    const forBob = await connect('GET', `/conversations/${id}`, bob);
    expect(forBob.status).toBe(200);
    expect(forBob.body).toMatchObject({ conversationId: id, name: 'Project X', role: 'member', memberCount: 3 });

    const members = await connect('GET', `/conversations/${id}/members`, cy);
    expect(members.status).toBe(200);
    expect(members.body.items.map((m: any) => [m.userId, m.role, m.fullName]).sort()).toEqual(
      [
        [ann.userId, 'owner', 'Ann Group'],
        [bob.userId, 'member', 'Bob Group'],
        [cy.userId, 'member', 'Cy Group'],
      ].sort(),
    );

    expectError(await connect('GET', `/conversations/${id}`, outsider), 403);
    expectError(await connect('GET', `/conversations/${id}/members`, outsider), 403);
    const outsiderList = await connect('GET', '/conversations', outsider);
    expect(outsiderList.body.items.map((c: any) => c.conversationId)).not.toContain(id);
  });

  it('refuses unknown members with 404 naming the field, and stores nothing', async () => {
    const name = `Ghost group ${randomUUID()}`;
    const error = expectError(await connect('POST', '/conversations', ann, { name, memberIds: [bob.userId, UNKNOWN_USER_ID] }), 404, 'memberIds');
    expect(error.message).toContain(UNKNOWN_USER_ID);
    const list = await connect('GET', '/conversations?limit=50', bob);
    expect(list.body.items.map((c: any) => c.name)).not.toContain(name);
  });

  it('renames and re-describes for owners and admins; members and outsiders get 403', async () => {
    const id = await group(ann, [bob, cy], 'Before');
    expect((await connect('POST', `/conversations/${id}/members`, ann, { userId: outsider.userId, role: 'admin' })).status).toBe(201);

    const renamed = await connect('PATCH', `/conversations/${id}`, ann, { name: 'After', description: 'About things' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'After', description: 'About things' });
    expect(renamed.body.updatedAt >= renamed.body.createdAt).toBe(true);

    const byAdmin = await connect('PATCH', `/conversations/${id}`, outsider, { description: '' });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.description).toBeUndefined();
    expect(byAdmin.body.name).toBe('After');

    expectError(await connect('PATCH', `/conversations/${id}`, bob, { name: 'Mine now' }), 403);
    const [stranger] = await users('Stan Stranger');
    expectError(await connect('PATCH', `/conversations/${id}`, stranger!, { name: 'Mine now' }), 403);
    expect((await connect('GET', `/conversations/${id}`, cy)).body.name).toBe('After');
  });

  it('deletes a group for its owner only, with every membership', async () => {
    const id = await group(ann, [bob, cy], 'Doomed');
    expect((await connect('POST', `/conversations/${id}/members`, ann, { userId: outsider.userId, role: 'admin' })).status).toBe(201);
    expectError(await connect('DELETE', `/conversations/${id}`, bob), 403);
    expectError(await connect('DELETE', `/conversations/${id}`, outsider), 403); // an admin is not an owner

    const deleted = await connect('DELETE', `/conversations/${id}`, ann);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();

    for (const user of [ann, bob, cy, outsider]) {
      expectError(await connect('GET', `/conversations/${id}`, user), 404);
      const list = await connect('GET', '/conversations?limit=50', user);
      expect(list.body.items.map((c: any) => c.conversationId)).not.toContain(id);
    }
    expectError(await connect('DELETE', `/conversations/${id}`, ann), 404);
    expectError(await connect('GET', `/conversations/${id}/members`, ann), 404);
  });

  it('answers 404 for a conversation that does not exist, on every route that names one', async () => {
    const id = `nope-${randomUUID()}`;
    expectError(await connect('GET', `/conversations/${id}`, ann), 404);
    expectError(await connect('PATCH', `/conversations/${id}`, ann, { name: 'x' }), 404);
    expectError(await connect('DELETE', `/conversations/${id}`, ann), 404);
    expectError(await connect('GET', `/conversations/${id}/members`, ann), 404);
    expectError(await connect('POST', `/conversations/${id}/members`, ann, { userId: bob.userId }), 404);
    expectError(await connect('DELETE', `/conversations/${id}/members/${bob.userId}`, ann), 404);
  });

  it('lists the caller\'s conversations newest first, with member count and preview fields', async () => {
    const [dora] = await users('Dora Lister');
    const first = await group(dora!, [bob], 'First');
    const second = await group(dora!, [], 'Second');
    const list = await connect('GET', '/conversations', dora!);
    expect(list.status).toBe(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.items.map((c: any) => c.conversationId)).toEqual([second, first]);
    expect(list.body.items[1]).toMatchObject({ name: 'First', memberCount: 2, lastMessage: null, unreadCount: 0, role: 'owner', type: 'group' });
  });
});
