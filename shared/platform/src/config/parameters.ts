/**
 * The SSM parameters the services read at run time (names as in the contract and operations guide).
 * A deployment other than the guide's keeps them under its own path (`/prod/WEBSOCKET_DOMAIN`, see
 * deployment-names.ts); serverless.common.yml names and grants each one under the same key, and the
 * local stack seeds each one: a unit test and the type checker keep the three lists equal.
 */
export const Parameter = {
  websocketDomain: '/WEBSOCKET_DOMAIN',
  websocketStage: '/WEBSOCKET_STAGE',
  snsTopicArn: '/SNS_TOPIC_ARN',
  redisHost: '/REDIS_HOST',
  redisPort: '/REDIS_PORT',
  enableMetrics: '/ENABLE_METRICS',
  clientId: '/CLIENT_ID',
  userPoolId: '/COGNITO_USER_POOL_ID',
  usersTable: '/USERS_TABLE_NAME',
  messagesTable: '/MESSAGE_TABLE_NAME',
  connectionsTable: '/WEBSOCKET_TABLE_NAME',
  membersTable: '/CONVERSATION_MEMBERS_TABLE',
  conversationsTable: '/CONVERSATIONS_TABLE_NAME',
} as const;

export type ParameterName = (typeof Parameter)[keyof typeof Parameter];

export const ALL_PARAMETERS: readonly ParameterName[] = Object.values(Parameter);
