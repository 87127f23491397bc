import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SNSClient } from '@aws-sdk/client-sns';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { logger } from '../observability/logger';

/*
 * One client per AWS service and container, created on first use (cold start) and reused.
 * Endpoints follow the SDK's standard configuration: on AWS nothing is set; the local stack sets
 * AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_DYNAMODB) to point a client at its stand-in.
 */

/**
 * Every SDK call gives up on a silent connection after a few seconds (the SDK then retries)
 * instead of waiting for the Lambda timeout: the SDK's own default is to wait for ever.
 */
const requestHandler = {
  connectionTimeout: Number(process.env.AWS_CONNECT_TIMEOUT_MS ?? 2000),
  requestTimeout: Number(process.env.AWS_REQUEST_TIMEOUT_MS ?? 5000),
};

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

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
export const cognitoClient = once(() => new CognitoIdentityProviderClient({ requestHandler }));

const managementClients = new Map<string, ApiGatewayManagementApiClient>();
/** API Gateway management client for one WebSocket API endpoint (https://domain/stage on AWS). */
export function apiGatewayManagementClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    client = new ApiGatewayManagementApiClient({ endpoint, maxAttempts: 2, requestHandler });
    managementClients.set(endpoint, client);
  }
  return client;
}
