import { Parameter } from '../../config/parameters';
import type { Runtime } from '../../runtime';
import { MembersTable } from '../members-table';
import { DynamoMessageStore } from './dynamo-message-store';
import { MessageUseCases, type MessageUseCaseOptions } from './message-use-cases';

/**
 * The message use cases wired to DynamoDB (table names from SSM at run time), the container's SNS
 * event publisher and metrics. Call once per container.
 */
export function createMessageUseCases(
  runtime: Pick<Runtime, 'config' | 'db' | 'events' | 'metrics'>,
  options?: MessageUseCaseOptions,
): MessageUseCases {
  const tables = async () => {
    const names = await runtime.config.getMany([Parameter.messagesTable, Parameter.conversationsTable, Parameter.membersTable]);
    return {
      messages: names[Parameter.messagesTable],
      conversations: names[Parameter.conversationsTable],
      members: names[Parameter.membersTable],
    };
  };
  const store = new DynamoMessageStore(runtime.db, tables);
  const members = new MembersTable(runtime.db, () => runtime.config.get(Parameter.membersTable));
  return new MessageUseCases(store, members, runtime.events, runtime.metrics, options);
}
