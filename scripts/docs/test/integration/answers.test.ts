import * as v from 'valibot';
import { call, newUser, type HttpAnswer, type TestUser } from '../../../../test/support/http';
import { endpoints } from '../../../../test/support/stack';
import { ACCOUNT_PASSWORD } from '../../../lib/accounts';
import { documentedAnswer } from '../../api-documents';

/**
 * The API documents against the running services: every HTTP operation is called the way a
 * client would, and each success answer must have a status the document lists and a body that
 * matches the documented shape exactly (a field the document does not name fails).
 */
describe('docs/api: documented answers', () => {
  let ann: TestUser, ben: TestUser;
  const seen = new Set<string>();

  beforeAll(async () => {
    [ann, ben] = await Promise.all([newUser('Ann Documented', 'docs-ann'), newUser('Ben Documented', 'docs-ben')]);
  });

  async function expectDocumented<T = any>(operationId: string, answer: Promise<HttpAnswer<T>>): Promise<T> {
    const { status, body } = await answer;
    const documented = await documentedAnswer(operationId, status);
    expect({ operationId, status, documented: Boolean(documented) }).toEqual({ operationId, status, documented: true });
    if (documented?.schema) {
      const result = v.safeParse(documented.schema, body);
      const problems = result.success ? [] : result.issues.map((i) => `${v.getDotPath(i) ?? '(body)'}: ${i.message}`);
      expect({ operationId, status, problems }).toEqual({ operationId, status, problems: [] });
    } else {
      expect(body).toBeUndefined();
    }
    seen.add(operationId);
    return body;
  }

  it('authService answers as documented', async () => {
    const e = endpoints();
    const email = `docs-${Date.now()}@example.com`;
    await expectDocumented('signUp', call(e.auth, 'POST', '/signUp', { body: { email, password: ACCOUNT_PASSWORD, fullName: 'Doc Umented' } }));
    await expectDocumented('resendConfirmationCode', call(e.auth, 'POST', '/resendConfirmationCode', { body: { email } }));
    await expectDocumented('confirmSignUp', call(e.auth, 'POST', '/confirmSignUp', { body: { email, code: e.confirmationCode } }));
    const signedIn = await expectDocumented('signIn', call(e.auth, 'POST', '/signIn', { body: { email, password: ACCOUNT_PASSWORD } }));
    await expectDocumented('signOut', call(e.auth, 'POST', '/signOut', { token: signedIn.accessToken }));
  });

  it('connectService and messageService answer as documented', async () => {
    const { connect, message } = endpoints();
    const group = await expectDocumented('createConversation', call(connect, 'POST', '/conversations', { token: ann.accessToken, body: { name: 'Documented', memberIds: [] } }));
    const id = group.conversationId;
    await expectDocumented('updateConversation', call(connect, 'PATCH', `/conversations/${id}`, { token: ann.accessToken, body: { description: 'Answers as documented' } }));
    await expectDocumented('addMember', call(connect, 'POST', `/conversations/${id}/members`, { token: ann.accessToken, body: { userId: ben.userId } }));
    await expectDocumented('getMembers', call(connect, 'GET', `/conversations/${id}/members`, { token: ben.accessToken }));
    await expectDocumented('searchUsers', call(connect, 'GET', '/users/search?q=ben%20doc&limit=5', { token: ann.accessToken }));
    await expectDocumented('createDirectConversation', call(connect, 'POST', '/conversations/direct', { token: ann.accessToken, body: { userId: ben.userId } }));
    await expectDocumented('createDirectConversation', call(connect, 'POST', '/conversations/direct', { token: ben.accessToken, body: { userId: ann.userId } }));

    const sent = await expectDocumented('sendMessage', call(message, 'POST', `/conversations/${id}/messages`, { token: ann.accessToken, body: { content: 'Hello', clientMessageId: 'docs-1' } }));
    await expectDocumented('sendMessage', call(message, 'POST', `/conversations/${id}/messages`, { token: ann.accessToken, body: { content: 'Hello', clientMessageId: 'docs-1' } }));
    await expectDocumented('sendMessage', call(message, 'POST', `/conversations/${id}/messages`, { token: ben.accessToken, body: { content: 'Hi Ann' } }));
    await expectDocumented('fetchMessage', call(message, 'GET', `/conversations/${id}/messages?limit=1`, { token: ben.accessToken }));
    await expectDocumented('fetchMessage', call(message, 'GET', `/conversations/${id}/messages?after=0`, { token: ben.accessToken }));
    await expectDocumented('getMessage', call(message, 'GET', `/conversations/${id}/messages/${sent.messageId}`, { token: ben.accessToken }));
    await expectDocumented('editMessage', call(message, 'PATCH', `/conversations/${id}/messages/${sent.messageId}`, { token: ann.accessToken, body: { content: 'Hello, edited' } }));
    await expectDocumented('updateMessage', call(message, 'POST', `/conversations/${id}/messages/${sent.messageId}/read`, { token: ben.accessToken }));
    await expectDocumented('getConversations', call(connect, 'GET', '/conversations?limit=1', { token: ben.accessToken }));
    await expectDocumented('getConversation', call(connect, 'GET', `/conversations/${id}`, { token: ben.accessToken }));
    await expectDocumented('deleteMessage', call(message, 'DELETE', `/conversations/${id}/messages/${sent.messageId}`, { token: ann.accessToken }));
    await expectDocumented('getConversations', call(connect, 'GET', '/conversations', { token: ann.accessToken }));
    await expectDocumented('removeMember', call(connect, 'DELETE', `/conversations/${id}/members/${ben.userId}`, { token: ann.accessToken }));
    await expectDocumented('deleteConversation', call(connect, 'DELETE', `/conversations/${id}`, { token: ann.accessToken }));
  });

  it('covered every HTTP operation', () => {
    expect(seen.size).toBe(21);
  });
});
