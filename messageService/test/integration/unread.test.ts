import { call, type TestUser } from '../../../test/support/http';
import { endpoints } from '../../../test/support/stack';
import { closeDb, conversationWith, message, messagesPath, sent, user } from './support';

afterAll(() => closeDb());

/** The conversation as `reader` sees it in connectService's getConversations (GET /conversations). */
async function listed(reader: TestUser, conversationId: string): Promise<any> {
  const answer = await call(endpoints().connect, 'GET', '/conversations', { token: reader.accessToken });
  expect(answer.status).toBe(200);
  const item = answer.body.items.find((c: any) => c.conversationId === conversationId);
  expect(item).toBeDefined();
  return item;
}

const view = (item: any) => ({ unreadCount: item.unreadCount, preview: item.lastMessage?.preview ?? null });

// Needs connectService (getConversations) in the stack; it runs in every full stack.
const withConnect = endpoints().connect ? describe : describe.skip;

withConnect('unread counts and preview in getConversations follow sending, reading and deleting', () => {
  it('A sends 5, B reads up to the 3rd, A deletes messages: B sees what a person would expect', async () => {
    const [a, b] = [await user('Unread Sender'), await user('Unread Reader')];
    const conversationId = await conversationWith(a, [{ user: b }]);
    const ms: any[] = [];
    for (let i = 1; i <= 5; i++) ms.push(await sent(a, conversationId, `message ${i}`));

    expect(view(await listed(b, conversationId))).toEqual({ unreadCount: 5, preview: 'message 5' });
    expect(view(await listed(a, conversationId))).toEqual({ unreadCount: 0, preview: 'message 5' }); // one's own messages are never unread

    expect((await message('POST', messagesPath(conversationId, `/${ms[2].messageId}/read`), b.accessToken)).status).toBe(200);
    expect(view(await listed(b, conversationId))).toEqual({ unreadCount: 2, preview: 'message 5' });

    // Deleting the newest (unread) message: one fewer unread, and the preview shows the newest still there.
    expect((await message('DELETE', messagesPath(conversationId, `/${ms[4].messageId}`), a.accessToken)).status).toBe(200);
    const afterDelete = await listed(b, conversationId);
    expect(view(afterDelete)).toEqual({ unreadCount: 1, preview: 'message 4' });
    expect(afterDelete.lastMessage).toMatchObject({ messageId: ms[3].messageId, seq: 4, senderId: a.userId });

    // Deleting a message B has read changes neither count nor preview.
    expect((await message('DELETE', messagesPath(conversationId, `/${ms[1].messageId}`), a.accessToken)).status).toBe(200);
    expect(view(await listed(b, conversationId))).toEqual({ unreadCount: 1, preview: 'message 4' });

    // Reading "up to" an earlier message never moves the read position back.
    await message('POST', messagesPath(conversationId, `/${ms[0].messageId}/read`), b.accessToken);
    expect(view(await listed(b, conversationId))).toEqual({ unreadCount: 1, preview: 'message 4' });

    // An edit of the shown message updates the preview; reading the last visible one clears the count.
    await message('PATCH', messagesPath(conversationId, `/${ms[3].messageId}`), a.accessToken, { content: 'message 4, edited' });
    await message('POST', messagesPath(conversationId, `/${ms[3].messageId}/read`), b.accessToken);
    expect(view(await listed(b, conversationId))).toEqual({ unreadCount: 0, preview: 'message 4, edited' });

    // B's own reply is not unread for B, but is for A.
    await sent(b, conversationId, 'reply from b');
    expect(view(await listed(b, conversationId))).toEqual({ unreadCount: 0, preview: 'reply from b' });
    expect(view(await listed(a, conversationId))).toEqual({ unreadCount: 1, preview: 'reply from b' });
  });
});
