import { expectError } from '../../../test/support/http';
import { allConversations, connect, group, UNKNOWN_USER_ID, users, warmUp } from './support';

describe('connectService: direct conversations', () => {
  it('opens one conversation per pair, named after the other person for each side', async () => {
    const [ann, bob] = await users('Ann Direct', 'Bob Direct');
    const opened = await connect('POST', '/conversations/direct', ann!, { userId: bob!.userId });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      type: 'direct',
      name: 'Bob Direct',
      otherUser: { userId: bob!.userId, fullName: 'Bob Direct' },
      memberCount: 2,
      unreadCount: 0,
    });
    const again = await connect('POST', '/conversations/direct', bob!, { userId: ann!.userId });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      conversationId: opened.body.conversationId,
      name: 'Ann Direct',
      otherUser: { userId: ann!.userId, fullName: 'Ann Direct' },
    });
    const members = await connect('GET', `/conversations/${opened.body.conversationId}/members`, bob!);
    expect(members.body.items.map((m: any) => m.userId).sort()).toEqual([ann!.userId, bob!.userId].sort());
  });

  it('20 concurrent calls from both sides create exactly one conversation', async () => {
    const [ann, bob] = await users('Ann Race', 'Bob Race');
    await warmUp('POST', '/conversations/direct', ann!, 20);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? connect('POST', '/conversations/direct', ann!, { userId: bob!.userId })
          : connect('POST', '/conversations/direct', bob!, { userId: ann!.userId }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const id = answers.find((a) => a.status === 201)!.body.conversationId;
    expect(answers.map((a) => a.body.conversationId)).toEqual(answers.map(() => id));
    expect(new Set(answers.map((a) => a.body.otherUser.userId))).toEqual(new Set([ann!.userId, bob!.userId]));

    for (const user of [ann!, bob!]) {
      const { items } = await allConversations(user, 10);
      expect(items.filter((c) => c.conversationId === id)).toHaveLength(1);
      expect(items.filter((c) => c.type === 'direct')).toHaveLength(1);
    }
  }, 180_000);

  it('refuses yourself (400), unknown users (404) and unconfirmed input (400)', async () => {
    const [ann] = await users('Ann Alone');
    expectError(await connect('POST', '/conversations/direct', ann!, { userId: ann!.userId }), 400, 'userId');
    expectError(await connect('POST', '/conversations/direct', ann!, { userId: UNKNOWN_USER_ID }), 404, 'userId');
    expectError(await connect('POST', '/conversations/direct', ann!, {}), 400, 'userId');
  });

  it('cannot gain or lose members, be renamed or deleted (409); outsiders get 403', async () => {
    const [ann, bob, cy] = await users('Ann Pair', 'Bob Pair', 'Cy Third');
    const id = (await connect('POST', '/conversations/direct', ann!, { userId: bob!.userId })).body.conversationId;
    expectError(await connect('POST', `/conversations/${id}/members`, ann!, { userId: cy!.userId }), 409);
    expectError(await connect('DELETE', `/conversations/${id}/members/${ann!.userId}`, ann!), 409);
    expectError(await connect('DELETE', `/conversations/${id}/members/${bob!.userId}`, ann!), 409);
    expectError(await connect('PATCH', `/conversations/${id}`, ann!, { name: 'Renamed' }), 409);
    expectError(await connect('DELETE', `/conversations/${id}`, ann!), 409);
    expectError(await connect('GET', `/conversations/${id}`, cy!), 403);
    expectError(await connect('POST', `/conversations/${id}/members`, cy!, { userId: cy!.userId }), 403);
    const members = await connect('GET', `/conversations/${id}/members`, ann!);
    expect(members.body.items).toHaveLength(2);
    // A group between the same people is a different conversation.
    const groupId = await group(ann!, [bob!], 'Not a DM');
    expect(groupId).not.toBe(id);
  });
});
