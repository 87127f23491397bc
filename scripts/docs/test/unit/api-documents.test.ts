import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { API_DOCS_DIR, buildApiDocuments } from '../../api-documents';

type OpenApi = { paths: Record<string, Record<string, { operationId: string; security?: unknown[]; requestBody?: unknown }>> };

describe('docs/api', () => {
  let documents: Map<string, string>;
  beforeAll(async () => {
    documents = await buildApiDocuments();
  }, 60_000);

  it('is what the code says: run `npm run docs:api` after changing a route or a schema', () => {
    for (const [name, contents] of documents) {
      expect({ name, contents: fs.readFileSync(path.join(API_DOCS_DIR, name), 'utf8') }).toEqual({ name, contents });
    }
    expect(fs.readdirSync(API_DOCS_DIR).sort()).toEqual([...documents.keys()].sort());
  });

  it('documents every HTTP function of the contract, and only the four sign-up/sign-in routes as public', () => {
    const operations = [...documents]
      .filter(([name]) => name.endsWith('.openapi.yaml'))
      .flatMap(([, contents]) => Object.values((YAML.parse(contents) as OpenApi).paths).flatMap((methods) => Object.values(methods)));
    expect(operations.map((o) => o.operationId).sort()).toEqual(
      [
        'signUp', 'confirmSignUp', 'resendConfirmationCode', 'signIn', 'signOut',
        'fetchMessage', 'sendMessage', 'deleteMessage', 'getMessage', 'updateMessage', 'editMessage',
        'createConversation', 'getConversations', 'getConversation', 'addMember', 'removeMember', 'getMembers', 'updateConversation', 'deleteConversation', 'searchUsers', 'createDirectConversation',
      ].sort(),
    );
    expect(operations.filter((o) => o.security?.length === 0).map((o) => o.operationId).sort()).toEqual(['confirmSignUp', 'resendConfirmationCode', 'signIn', 'signUp']);
  });

  it('describes the WebSocket frames a client may send and every event type the server sends', () => {
    const doc = YAML.parse(documents.get('realTimeService.asyncapi.yaml')!) as { channels: { chat: { messages: Record<string, { name: string; payload: { required?: string[] } }> } } };
    const names = Object.values(doc.channels.chat.messages).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['message', 'typing', 'ping', 'message.created', 'member.removed', 'typing', 'presence', 'ack', 'pong', 'error']));
    expect(doc.channels.chat.messages.typingFrame!.payload.required).toEqual(['action', 'conversationId', 'isTyping']);
  });
});
