import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { call, type TestUser } from '../../../test/support/http';
import { awsConfig, endpoints } from '../../../test/support/stack';
import { connect, users } from './support';

/*
 * Unread counts and previews read what messageService writes. The first tests write that state
 * directly, in the layout the data model fixes (Messages items `MSG#<seq 12 digits>`, the
 * conversation's lastSeq / lastMessage / lastActivityAt, the member's lastReadSeq), so each case is
 * exact; the last one goes through messageService's own routes.
 */

let db: DynamoDBDocumentClient;
beforeAll(() => {
  db = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig(endpoints().dynamodb)), { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(() => db.destroy());

interface Written {
  seq: number;
  senderId: string;
  deleted?: boolean;
}

/** Stores messages and moves the conversation's counter, preview and activity as a send would. */
async function writeMessages(conversationId: string, messages: Written[]): Promise<void> {
  const createdAt = new Date().toISOString();
  const items = messages.map((m): Record<string, unknown> & { seq: number; messageId: string; senderId: string; content?: string } => ({
    conversationId,
    sk: `MSG#${String(m.seq).padStart(12, '0')}`,
    seq: m.seq,
    messageId: randomUUID(),
    senderId: m.senderId,
    ...(m.deleted ? { deleted: true, deletedAt: createdAt } : { content: `message ${m.seq}` }),
    createdAt,
  }));
  for (let i = 0; i < items.length; i += 25) {
    await db.send(new BatchWriteCommand({ RequestItems: { Messages: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  const last = items[items.length - 1]!;
  await db.send(
    new UpdateCommand({
      TableName: 'conversations',
      Key: { conversationId },
      UpdateExpression: 'SET lastSeq = :seq, lastMessage = :last, lastActivityAt = :at',
      ExpressionAttributeValues: {
        ':seq': last.seq,
        ':last': { messageId: last.messageId, seq: last.seq, senderId: last.senderId, preview: last.content ?? '', createdAt },
        ':at': createdAt,
      },
    }),
  );
}

async function markRead(conversationId: string, userId: string, seq: number): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: 'conversation-members-table',
      Key: { conversationId, userId },
      UpdateExpression: 'SET lastReadSeq = :seq, lastReadAt = :at',
      ExpressionAttributeValues: { ':seq': seq, ':at': new Date().toISOString() },
    }),
  );
}

const itemOf = async (user: TestUser, conversationId: string) =>
  ((await connect('GET', '/conversations?limit=50', user)).body.items as any[]).find((c) => c.conversationId === conversationId);

describe('connectService: unread counts and previews', () => {
  it('counts other people\'s messages after the read position, leaving out deleted and own ones', async () => {
    const [ann, bob] = await users('Ann Unread', 'Bob Unread');
    const id = (await connect('POST', '/conversations/direct', ann!, { userId: bob!.userId })).body.conversationId;
    await writeMessages(id, [
      { seq: 1, senderId: ann!.userId },
      { seq: 2, senderId: ann!.userId },
      { seq: 3, senderId: ann!.userId },
      { seq: 4, senderId: ann!.userId },
      { seq: 5, senderId: bob!.userId },
      { seq: 6, senderId: ann!.userId, deleted: true },
      { seq: 7, senderId: ann!.userId },
    ]);
    await markRead(id, bob!.userId, 2);

    const forBob = await itemOf(bob!, id);
    expect(forBob).toMatchObject({ unreadCount: 3, lastReadSeq: 2, lastSeq: 7, lastMessage: { seq: 7, senderId: ann!.userId, preview: 'message 7' } });
    expect(forBob.unreadCountCapped).toBeUndefined();
    expect(await itemOf(ann!, id)).toMatchObject({ unreadCount: 1 });
    expect((await connect('GET', `/conversations/${id}`, bob!)).body).toMatchObject({ unreadCount: 3 });

    await markRead(id, bob!.userId, 7);
    expect(await itemOf(bob!, id)).toMatchObject({ unreadCount: 0 });
  });

  it('caps the count and says so', async () => {
    const [ann, bob] = await users('Ann Cap', 'Bob Cap');
    const id = (await connect('POST', '/conversations/direct', ann!, { userId: bob!.userId })).body.conversationId;
    await writeMessages(id, Array.from({ length: 130 }, (_, i) => ({ seq: i + 1, senderId: ann!.userId })));
    expect(await itemOf(bob!, id)).toMatchObject({ unreadCount: 100, unreadCountCapped: true });
    await markRead(id, bob!.userId, 40);
    const after = await itemOf(bob!, id);
    expect(after.unreadCount).toBe(90);
    expect(after.unreadCountCapped).toBeUndefined();
  });

  it('puts the conversation with the latest message first', async () => {
    const [ann, bob] = await users('Ann Order', 'Bob Order');
    const older = (await connect('POST', '/conversations', ann!, { name: 'Older', memberIds: [bob!.userId] })).body.conversationId;
    const newer = (await connect('POST', '/conversations', ann!, { name: 'Newer', memberIds: [bob!.userId] })).body.conversationId;
    const order = async () => ((await connect('GET', '/conversations', bob!)).body.items as any[]).map((c) => c.conversationId);
    expect(await order()).toEqual([newer, older]);
    await writeMessages(older, [{ seq: 1, senderId: ann!.userId }]);
    expect(await order()).toEqual([older, newer]);
  });

  it('follows messageService: send, read and delete move the count and the preview', async () => {
    const e = endpoints();
    const [ann, bob] = await users('Ann Live', 'Bob Live');
    const id = (await connect('POST', '/conversations/direct', ann!, { userId: bob!.userId })).body.conversationId;
    const sent: any[] = [];
    for (const content of ['one', 'two', 'three', 'four', 'five']) {
      const answer = await call(e.message, 'POST', `/conversations/${id}/messages`, { token: ann!.accessToken, body: { content } });
      expect(answer.status).toBe(201);
      sent.push(answer.body);
    }
    expect(await itemOf(bob!, id)).toMatchObject({ unreadCount: 5, lastMessage: { messageId: sent[4].messageId } });

    const read = await call(e.message, 'POST', `/conversations/${id}/messages/${sent[2].messageId}/read`, { token: bob!.accessToken });
    expect(read.status).toBe(200);
    expect(await itemOf(bob!, id)).toMatchObject({ unreadCount: 2, lastReadSeq: 3 });

    const deleted = await call(e.message, 'DELETE', `/conversations/${id}/messages/${sent[4].messageId}`, { token: ann!.accessToken });
    expect(deleted.status).toBe(200);
    const after = await itemOf(bob!, id);
    expect(after.unreadCount).toBe(1);
    // The preview no longer shows the deleted message's text.
    expect(after.lastMessage?.preview ?? '').not.toContain('five');
    expect(await itemOf(ann!, id)).toMatchObject({ unreadCount: 0 });
  });
});
