import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { retry, RETRY } from '../retry';

/**
 * Every item of `table` with one of `keys` (deduplicated by the caller), in BatchGetItem calls of
 * 100 keys, retrying unprocessed keys with backoff; absent items are simply not returned.
 */
export async function batchGetItems(
  db: Pick<DynamoDBDocumentClient, 'send'>,
  table: string,
  keys: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
    const done = await retry({ attempts: 5, backoff: { baseMs: 50, jitter: false } }, async () => {
      const out: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      items.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
      return pending.length ? RETRY : true;
    });
    if (done === RETRY) throw new Error(`BatchGet left ${pending.length} keys unprocessed`);
  }
  return items;
}
