import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SNSClient } from '@aws-sdk/client-sns';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { logger } from '../observability/logger';
import { once, requestHandler } from './client-options';

/*
 * The clients every function's runtime uses (shared/platform/src/runtime.ts). Clients that only one
 * service needs (Cognito, API Gateway management) have modules of their own beside this one, so
 * that the other services' bundles never load those SDK packages at cold start.
 */

const CAPACITY_OPS = new Set([
  'GetCommand', 'PutCommand', 'UpdateCommand', 'DeleteCommand', 'QueryCommand', 'ScanCommand',
  'BatchGetCommand', 'BatchWriteCommand', 'TransactWriteCommand', 'TransactGetCommand',
]);

/**
 * The DynamoDB document client, with one middleware that asks for consumed capacity and logs
 * every call's outcome (table, operation, capacity, duration) — the lines the operations guide
 * asks operators to look for.
 */
export const dynamoDocumentClient = once(() => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 4, requestHandler }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      if (CAPACITY_OPS.has(command) && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'TOTAL';
      const table = (input.TableName as string | undefined) ?? tablesOf(input);
      const started = Date.now();
      try {
        const result = await next(args);
        const out = result.output as { ConsumedCapacity?: unknown; Count?: number };
        logger.info('dynamodb', {
          operation: command.replace(/Command$/, ''),
          table,
          outcome: 'ok',
          consumedCapacity: out.ConsumedCapacity,
          count: out.Count,
          durationMs: Date.now() - started,
        });
        return result;
      } catch (err) {
        const e = err as Error;
        logger.info('dynamodb', {
          operation: command.replace(/Command$/, ''),
          table,
          outcome: e.name,
          durationMs: Date.now() - started,
        });
        throw err;
      }
    },
    { step: 'initialize', name: 'chatDynamoLogging' },
  );
  return client;
});

function tablesOf(input: Record<string, unknown>): string | undefined {
  if (input.RequestItems) return Object.keys(input.RequestItems as object).join(',');
  if (Array.isArray(input.TransactItems)) {
    const names = new Set<string>();
    for (const item of input.TransactItems as Record<string, { TableName?: string }>[]) {
      for (const op of Object.values(item)) if (op?.TableName) names.add(op.TableName);
    }
    return [...names].join(',');
  }
  return undefined;
}

export const ssmClient = once(() => new SSMClient({ requestHandler }));
export const snsClient = once(() => new SNSClient({ requestHandler }));
export const cloudWatchClient = once(() => new CloudWatchClient({ requestHandler }));
