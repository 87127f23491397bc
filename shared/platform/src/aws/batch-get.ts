import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending?.length && attempt < 5; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const out: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      items.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys;
    }
    if (pending?.length) throw new Error(`BatchGet left ${pending.length} keys unprocessed`);
  }
  return items;
}
