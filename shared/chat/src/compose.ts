import { Parameter, snsClient, type Runtime } from '@shared/platform';
import { DynamoMessageStore, MembersTable, SnsEventPublisher } from './adapters';
import { MessageUseCases, type MessageUseCaseOptions } from './messages/message-use-cases';

/*
 * The composition root of what the services share of the chat domain: adapters are built here
 * (and in each service's app), never in a use case. Call each once per container.
 */

/** Events to SNS `chat-message-topic` (its ARN from SSM at run time). */
export const createEventPublisher = (runtime: Pick<Runtime, 'config'>) => new SnsEventPublisher(snsClient(), () => runtime.config.get(Parameter.snsTopicArn));

/** The message use cases wired to DynamoDB (table names from SSM at run time), the event publisher and metrics. */
export function createMessageUseCases(runtime: Pick<Runtime, 'config' | 'db' | 'metrics'>, options?: MessageUseCaseOptions): MessageUseCases {
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
  return new MessageUseCases(store, members, createEventPublisher(runtime), runtime.metrics, options);
}
