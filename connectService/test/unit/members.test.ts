import { AppError } from '@shared/platform';
import { successorOf } from '../../src/members';
import { fakeService } from './fakes';

const CORRELATION = 'corr-1';

async function groupOf(...names: string[]) {
  const s = fakeService();
  for (const n of names) s.tables.addUser(n, n.toUpperCase());
  const [owner, ...rest] = names;
  const view = await s.conversations.createGroup(owner!, { name: 'Team', memberIds: rest }, CORRELATION);
  s.events.published = [];
  return { ...s, id: view.conversationId };
}

const status = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.status);

describe('MemberUseCases', () => {
  it('hands ownership to the longest-standing admin when the last owner leaves', async () => {
    const s = await groupOf('ann', 'bob');
    s.tables.addUser('cy', 'CY');
    await s.members.add('ann', s.id, { userId: 'cy', role: 'admin' }, CORRELATION);

    const removal = await s.members.remove('ann', s.id, 'ann', CORRELATION);

    expect(removal).toMatchObject({ outcome: 'removed', newOwnerId: 'cy' });
    expect(s.tables.membership(s.id, 'cy')?.role).toBe('owner');
    expect(s.tables.membership(s.id, 'bob')?.role).toBe('member');
    expect(s.tables.conversations.get(s.id)?.memberCount).toBe(2);
    const event = s.events.published.find((e) => e.type === 'member.removed')!;
    expect(event.recipientIds?.sort()).toEqual(['ann', 'bob', 'cy']);
    expect(event.data).toMatchObject({ userId: 'ann', left: true, newOwnerId: 'cy' });
  });

  it('hands ownership to the longest-standing member when there is no admin', async () => {
    const s = await groupOf('ann', 'bob', 'cy');
    await s.members.remove('ann', s.id, 'ann', CORRELATION);
    // bob and cy joined together: the tie goes to the smaller user id.
    expect(s.tables.membership(s.id, 'bob')?.role).toBe('owner');
  });

  it('keeps roles when an owner leaves while another owner stays', async () => {
    const s = await groupOf('ann', 'bob');
    s.tables.addUser('cy', 'CY');
    await s.members.add('ann', s.id, { userId: 'cy', role: 'owner' }, CORRELATION);
    const removal = await s.members.remove('ann', s.id, 'ann', CORRELATION);
    expect(removal).toMatchObject({ outcome: 'removed', newOwnerId: undefined });
    expect(s.tables.membership(s.id, 'bob')?.role).toBe('member');
  });

  it('deletes the conversation when its last member leaves, and tells them', async () => {
    const s = await groupOf('ann');
    const removal = await s.members.remove('ann', s.id, 'ann', CORRELATION);
    expect(removal.outcome).toBe('conversation-deleted');
    expect(s.tables.conversations.has(s.id)).toBe(false);
    expect(s.events.published).toMatchObject([{ type: 'conversation.deleted', recipientIds: ['ann'] }]);
  });

  it('tells the removed member, who is no longer in the member list', async () => {
    const s = await groupOf('ann', 'bob', 'cy');
    await s.members.remove('ann', s.id, 'bob', CORRELATION);
    expect(s.tables.membership(s.id, 'bob')).toBeUndefined();
    expect(s.events.published).toMatchObject([{ type: 'member.removed', data: { userId: 'bob', removedBy: 'ann', left: false } }]);
    expect(s.events.published[0]!.recipientIds?.sort()).toEqual(['ann', 'bob', 'cy']);
  });

  it('lets admins remove members and admins but not owners; members remove nobody else', async () => {
    const s = await groupOf('ann', 'bob', 'cy');
    s.tables.addUser('dee', 'DEE');
    await s.members.add('ann', s.id, { userId: 'dee', role: 'admin' }, CORRELATION);
    expect(await status(s.members.remove('bob', s.id, 'cy', CORRELATION))).toBe(403);
    expect(await status(s.members.remove('dee', s.id, 'ann', CORRELATION))).toBe(403);
    expect(await status(s.members.add('dee', s.id, { userId: 'zed', role: 'owner' }, CORRELATION))).toBe(403);
    expect(await status(s.members.remove('dee', s.id, 'cy', CORRELATION))).toBe('ok');
    expect(await status(s.members.remove('dee', s.id, 'nobody', CORRELATION))).toBe(404);
    // A plain member learns nothing about who is or is not a member.
    expect(await status(s.members.remove('bob', s.id, 'nobody', CORRELATION))).toBe(403);
  });

  it('refuses unknown or unconfirmed users, existing members and a full group', async () => {
    const s = await groupOf('ann', 'bob');
    s.tables.addUser('pending', 'Pending', 'p@example.com', false);
    expect(await status(s.members.add('ann', s.id, { userId: 'ghost', role: 'member' }, CORRELATION))).toBe(404);
    expect(await status(s.members.add('ann', s.id, { userId: 'pending', role: 'member' }, CORRELATION))).toBe(404);
    expect(await status(s.members.add('ann', s.id, { userId: 'bob', role: 'member' }, CORRELATION))).toBe(409);
    for (const u of ['u3', 'u4', 'u5']) {
      s.tables.addUser(u, u);
      await s.members.add('ann', s.id, { userId: u, role: 'member' }, CORRELATION);
    }
    s.tables.addUser('u6', 'u6');
    expect(await status(s.members.add('ann', s.id, { userId: 'u6', role: 'member' }, CORRELATION))).toBe(409);
    expect(s.tables.conversations.get(s.id)?.memberCount).toBe(5);
  });

  it('starts a new member at the current message so old history is not "unread"', async () => {
    const s = await groupOf('ann');
    s.tables.conversations.get(s.id)!.lastSeq = 42;
    s.tables.addUser('bob', 'BOB');
    expect(await s.members.add('ann', s.id, { userId: 'bob', role: 'member' }, CORRELATION)).toMatchObject({ lastReadSeq: 42, fullName: 'BOB' });
  });

  it('decides again on fresh state when a concurrent change beats the write', async () => {
    const s = await groupOf('ann', 'bob');
    s.tables.addUser('cy', 'CY');
    // Someone else adds cy between our reads and our write: our retry sees the member and says 409.
    let first = true;
    s.tables.beforeWrite = () => {
      if (!first) return;
      first = false;
      s.tables.memberships.set(`${s.id}|cy`, { conversationId: s.id, userId: 'cy', role: 'member', joinedAt: 'x', lastReadSeq: 0 });
      s.tables.conversations.get(s.id)!.memberCount++;
    };
    expect(await status(s.members.add('ann', s.id, { userId: 'cy', role: 'member' }, CORRELATION))).toBe(409);
    expect(s.tables.conversations.get(s.id)?.memberCount).toBe(3);
  });

  it('keeps the write and counts the failure when publishing fails', async () => {
    const s = await groupOf('ann', 'bob');
    s.events.failing = true;
    await s.members.remove('ann', s.id, 'bob', CORRELATION);
    expect(s.tables.membership(s.id, 'bob')).toBeUndefined();
    expect(s.metrics.counts.EventPublishFailures).toBe(1);
  });

  it('refuses to add to or remove from a direct conversation with 409', async () => {
    const s = fakeService();
    s.tables.addUser('ann', 'Ann');
    s.tables.addUser('bob', 'Bob');
    s.tables.addUser('cy', 'Cy');
    const { conversation } = await s.conversations.openDirect('ann', 'bob', CORRELATION);
    expect(await status(s.members.add('ann', conversation.conversationId, { userId: 'cy', role: 'member' }, CORRELATION))).toBe(409);
    expect(await status(s.members.remove('ann', conversation.conversationId, 'ann', CORRELATION))).toBe(409);
    expect(await status(s.members.remove('cy', conversation.conversationId, 'cy', CORRELATION))).toBe(403);
  });

  it('orders successors by role, then seniority, then user id', () => {
    expect(
      successorOf([
        { conversationId: 'c', userId: 'b', role: 'member', joinedAt: '2024-01-01', lastReadSeq: 0 },
        { conversationId: 'c', userId: 'z', role: 'admin', joinedAt: '2024-03-01', lastReadSeq: 0 },
        { conversationId: 'c', userId: 'y', role: 'admin', joinedAt: '2024-02-01', lastReadSeq: 0 },
      ]),
    ).toEqual({ userId: 'y', role: 'admin' });
    expect(() => successorOf([])).toThrow();
  });
});
