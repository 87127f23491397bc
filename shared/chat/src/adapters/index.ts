/** The chat domain's adapters (DynamoDB tables, SNS), for composition roots only. */
export * from './members-table';
export * from './conversations-table';
export * from './users-table';
// user-search-table.ts is imported by path: only the function that searches should carry its indexes.
export * from './dynamo-message-store';
export * from './sns-event-publisher';
