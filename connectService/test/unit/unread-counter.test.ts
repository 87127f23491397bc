import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messageSortKey } from '@shared/chat/adapters';
import { MessagesUnreadCounter } from '../../src/adapters/unread-counter';

/** A Messages partition as DynamoDB would page it: Limit items evaluated per page, then filtered. */
function fakeDb(messages: { seq: number; senderId: string; deleted?: boolean }[]) {
  const calls: Record<string, any>[] = [];
  const db = {
    send: async (command: { input: Record<string, any> }) => {
      const input = command.input;
      calls.push(input);
      const values = input.ExpressionAttributeValues;
      const inRange = messages.filter((m) => messageSortKey(m.seq) >= values[':from'] && messageSortKey(m.seq) <= values[':to']);
      const start = input.ExclusiveStartKey ? inRange.findIndex((m) => messageSortKey(m.seq) === input.ExclusiveStartKey.sk) + 1 : 0;
      const evaluated = inRange.slice(start, start + input.Limit);
      const count = evaluated.filter((m) => m.senderId !== values[':reader'] && !m.deleted).length;
      const last = evaluated[evaluated.length - 1];
      return { Count: count, LastEvaluatedKey: evaluated.length === input.Limit && last ? { sk: messageSortKey(last.seq) } : undefined };
    },
  };
  return { db: db as unknown as DynamoDBDocumentClient, calls };
}

const table = async () => 'Messages';

describe('MessagesUnreadCounter', () => {
  it('counts other people\'s non-deleted messages after the read position with one COUNT query', async () => {
    const { db, calls } = fakeDb([
      { seq: 1, senderId: 'bob' },
      { seq: 2, senderId: 'bob' },
      { seq: 3, senderId: 'ann' },
      { seq: 4, senderId: 'bob', deleted: true },
      { seq: 5, senderId: 'bob' },
    ]);
    expect(await new MessagesUnreadCounter(db, table).count('c1', 1, 'ann')).toEqual({ count: 2, capped: false });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ Select: 'COUNT', ExpressionAttributeValues: { ':from': 'MSG#000000000002', ':to': 'MSG#999999999999' } });
  });

  it('stops at the cap and says so', async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ seq: i + 1, senderId: 'bob' }));
    expect(await new MessagesUnreadCounter(fakeDb(many).db, table, 100).count('c1', 0, 'ann')).toEqual({ count: 100, capped: true });
  });

  it('reads a bounded number of pages even when the reader wrote most of the backlog', async () => {
    const mine = Array.from({ length: 1000 }, (_, i) => ({ seq: i + 1, senderId: i % 50 === 0 ? 'bob' : 'ann' }));
    const { db, calls } = fakeDb(mine);
    const result = await new MessagesUnreadCounter(db, table, 100, 3).count('c1', 0, 'ann');
    expect(calls).toHaveLength(3);
    expect(result).toEqual({ count: 6, capped: true });
  });

  it('is exact when the backlog ends below the cap', async () => {
    const few = Array.from({ length: 150 }, (_, i) => ({ seq: i + 1, senderId: i < 100 ? 'ann' : 'bob' }));
    expect(await new MessagesUnreadCounter(fakeDb(few).db, table, 100, 3).count('c1', 0, 'ann')).toEqual({ count: 50, capped: false });
  });
});
