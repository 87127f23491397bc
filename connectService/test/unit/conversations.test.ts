import { AppError } from '@shared/platform';
import { directConversationId } from '../../src/conversation-view';
import { encodeCursor } from '../../src/cursor';
import { fakeService } from './fakes';

const CORRELATION = 'corr-1';
const status = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.status);

describe('ConversationUseCases', () => {
  it('creates a group atomically with its owner and members, deduplicated, and announces it', async () => {
    const s = fakeService();
    for (const u of ['ann', 'bob', 'cy']) s.tables.addUser(u, u);
    const view = await s.conversations.createGroup('ann', { name: 'Team', memberIds: ['bob', 'cy', 'bob', 'ann'] }, CORRELATION);
    expect(view).toMatchObject({ type: 'group', name: 'Team', memberCount: 3, role: 'owner', unreadCount: 0, lastMessage: null });
    expect((await s.tables.listMembers(view.conversationId)).map((m) => [m.userId, m.role]).sort()).toEqual([
      ['ann', 'owner'],
      ['bob', 'member'],
      ['cy', 'member'],
    ]);
    expect(s.events.published).toMatchObject([{ type: 'conversation.created', correlationId: CORRELATION, data: { memberIds: ['ann', 'bob', 'cy'] } }]);
  });

  it('stores nothing when a named member does not exist', async () => {
    const s = fakeService();
    s.tables.addUser('ann', 'Ann');
    const error = await s.conversations.createGroup('ann', { name: 'T', memberIds: ['ghost'] }, CORRELATION).catch((e: AppError) => e);
    expect(error).toMatchObject({ status: 404, field: 'memberIds' });
    expect(s.tables.conversations.size).toBe(0);
    expect(s.events.published).toEqual([]);
  });

  it('lists by latest activity, ties by id, and pages with a cursor that repeats and skips nothing', async () => {
    const s = fakeService();
    s.tables.addUser('ann', 'Ann');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await s.conversations.createGroup('ann', { name: `g${i}`, memberIds: [] }, CORRELATION)).conversationId);
    // Three share one activity time; one gets a message later than all the others.
    for (const id of [ids[1]!, ids[2]!, ids[3]!]) s.tables.conversations.get(id)!.lastActivityAt = '2024-06-01T00:00:00.000Z';
    s.tables.conversations.get(ids[5]!)!.lastActivityAt = '2024-07-01T00:00:00.000Z';

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await s.conversations.list('ann', { limit: 3, cursor });
      seen.push(...page.items.map((c) => c.conversationId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([ids[5], ids[1], ids[2], ids[3], ids[6], ids[4], ids[0]]);
  });

  it('refuses a tampered cursor with 400 naming the field', async () => {
    const s = fakeService();
    s.tables.addUser('ann', 'Ann');
    for (const cursor of ['not base64!', encodeCursor({ t: 'yesterday', c: 'x' }), encodeCursor({ t: '2024-01-01T00:00:00.000Z' }), 'e30', Buffer.from('[').toString('base64url')]) {
      const error = await s.conversations.list('ann', { limit: 5, cursor }).catch((e: AppError) => e);
      expect(error).toMatchObject({ status: 400, field: 'cursor' });
    }
  });

  it('shows unread counts only where something is unread, and names direct chats after the other person', async () => {
    const s = fakeService();
    s.tables.addUser('ann', 'Ann A');
    s.tables.addUser('bob', 'Bob B');
    const { conversation } = await s.conversations.openDirect('ann', 'bob', CORRELATION);
    s.tables.conversations.get(conversation.conversationId)!.lastSeq = 4;
    s.tables.unreadCounts.set(`${conversation.conversationId}|bob|0`, 3);
    const [forBob] = (await s.conversations.list('bob', { limit: 10 })).items;
    expect(forBob).toMatchObject({ name: 'Ann A', otherUser: { userId: 'ann', fullName: 'Ann A' }, unreadCount: 3, type: 'direct' });
    expect((await s.conversations.get('ann', conversation.conversationId)).name).toBe('Bob B');
  });

  it('opens one direct conversation per pair, whoever asks', async () => {
    const s = fakeService();
    s.tables.addUser('ann', 'Ann');
    s.tables.addUser('bob', 'Bob');
    const first = await s.conversations.openDirect('ann', 'bob', CORRELATION);
    const second = await s.conversations.openDirect('bob', 'ann', CORRELATION);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.conversation.conversationId).toBe(first.conversation.conversationId);
    expect(directConversationId('ann', 'bob')).toBe(directConversationId('bob', 'ann'));
    expect(s.events.published.filter((e) => e.type === 'conversation.created')).toHaveLength(1);
    expect(await status(s.conversations.openDirect('ann', 'ann', CORRELATION))).toBe(400);
    expect(await status(s.conversations.openDirect('ann', 'ghost', CORRELATION))).toBe(404);
  });

  it('answers 200 with the winner when another call created the pair between read and write', async () => {
    const s = fakeService();
    s.tables.addUser('ann', 'Ann');
    s.tables.addUser('bob', 'Bob');
    let raced = false;
    s.tables.beforeWrite = () => {
      if (raced) return;
      raced = true;
      const id = directConversationId('ann', 'bob');
      s.tables.conversations.set(id, {
        conversationId: id, type: 'direct', directKey: 'ann#bob', createdBy: 'bob', createdAt: 't', updatedAt: 't', memberCount: 2, lastSeq: 0, lastActivityAt: 't',
      });
      for (const u of ['ann', 'bob']) s.tables.memberships.set(`${id}|${u}`, { conversationId: id, userId: u, role: 'member', joinedAt: 't', lastReadSeq: 0 });
    };
    const result = await s.conversations.openDirect('ann', 'bob', CORRELATION);
    expect(result.created).toBe(false);
    expect(result.conversation.createdBy).toBe('bob');
    expect(s.events.published).toEqual([]);
  });

  it('lets owners and admins rename; members get 403, non-members 403, unknown ids 404, direct chats 409', async () => {
    const s = fakeService();
    for (const u of ['ann', 'bob', 'out']) s.tables.addUser(u, u);
    const { conversationId } = await s.conversations.createGroup('ann', { name: 'Old', description: 'd', memberIds: ['bob'] }, CORRELATION);
    const updated = await s.conversations.update('ann', conversationId, { name: 'New', description: '' }, CORRELATION);
    expect(updated.name).toBe('New');
    expect(updated.description).toBeUndefined();
    expect(await status(s.conversations.update('bob', conversationId, { name: 'X' }, CORRELATION))).toBe(403);
    expect(await status(s.conversations.update('out', conversationId, { name: 'X' }, CORRELATION))).toBe(403);
    expect(await status(s.conversations.update('ann', 'nope', { name: 'X' }, CORRELATION))).toBe(404);
    const dm = await s.conversations.openDirect('ann', 'bob', CORRELATION);
    expect(await status(s.conversations.update('ann', dm.conversation.conversationId, { name: 'X' }, CORRELATION))).toBe(409);
    expect(await status(s.conversations.delete('ann', dm.conversation.conversationId, CORRELATION))).toBe(409);
  });

  it('deletes a group (owner only) with every membership and tells every former member', async () => {
    const s = fakeService();
    for (const u of ['ann', 'bob', 'cy']) s.tables.addUser(u, u);
    const { conversationId } = await s.conversations.createGroup('ann', { name: 'G', memberIds: ['bob', 'cy'] }, CORRELATION);
    expect(await status(s.conversations.delete('bob', conversationId, CORRELATION))).toBe(403);
    await s.conversations.delete('ann', conversationId, CORRELATION);
    expect(s.tables.conversations.has(conversationId)).toBe(false);
    expect(await s.tables.listMembers(conversationId)).toEqual([]);
    const deleted = s.events.published.find((e) => e.type === 'conversation.deleted')!;
    expect(deleted.recipientIds?.sort()).toEqual(['ann', 'bob', 'cy']);
  });
});
