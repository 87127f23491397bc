/*
 * The chat domain that more than one service needs: events, memberships, conversations, users and
 * the message use cases (messageService's HTTP routes and realTimeService's WebSocket `message`
 * route send through the very same operation). Types and rules only: the DynamoDB and SNS adapters
 * are in ./adapters, built by composition roots.
 */
export * from './events/chat-event';
export * from './members/membership';
export * from './conversations/conversation';
export * from './users/user';
