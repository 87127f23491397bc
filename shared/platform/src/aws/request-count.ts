import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const scope = new AsyncLocalStorage<{ requests: number }>();
const counted = new WeakSet<object>();

/**
 * Makes the client count the requests it sends (retries included) for `countDynamoRequests`, so a
 * use case can log its DynamoDB cost (the fan-out does, per event). Call once per client.
 */
export function countRequestsOf(client: Pick<DynamoDBDocumentClient, 'middlewareStack'>): void {
  if (counted.has(client.middlewareStack)) return;
  counted.add(client.middlewareStack);
  client.middlewareStack.add(
    (next) => async (args) => {
      const counter = scope.getStore();
      if (counter) counter.requests++;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'dynamoRequestCount' },
  );
}

/** Runs fn and tells how many DynamoDB requests it made (through clients set up with countRequestsOf). */
export async function countDynamoRequests<T>(fn: () => Promise<T>): Promise<{ result: T; dynamoRequests: number }> {
  const counter = { requests: 0 };
  const result = await scope.run(counter, fn);
  return { result, dynamoRequests: counter.requests };
}
