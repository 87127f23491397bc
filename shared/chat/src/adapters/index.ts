/** The chat domain's adapters (DynamoDB tables, SNS), for composition roots only. */
export * from './members-table';
export * from './conversations-table';
export * from './users-table';
export * from './dynamo-message-store';
export * from './sns-event-publisher';
