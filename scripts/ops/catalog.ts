import { ALL_PARAMETERS, type ParameterName } from '@shared/platform/config/parameters';

/*
 * The names operators work with, exactly as the contract and the operations guide spell them.
 * A unit test holds this list against every service's serverless.yml, so the tooling cannot
 * drift from what is deployed; it is kept here (not read from the yml files) so that the tools
 * also work from a checkout where a service folder is missing.
 */

export const SERVICE_FUNCTIONS = {
  authService: ['signUp', 'confirmSignUp', 'resendConfirmationCode', 'signIn', 'signOut'],
  messageService: ['fetchMessage', 'sendMessage', 'deleteMessage', 'getMessage', 'updateMessage', 'editMessage'],
  realTimeService: ['connect', 'disconnect', 'default', 'message', 'typing', 'snsFanoutHandler', 'redisSubscriber'],
  connectService: [
    'createConversation', 'getConversations', 'getConversation', 'addMember', 'removeMember',
    'getMembers', 'updateConversation', 'deleteConversation', 'searchUsers', 'createDirectConversation',
  ],
} as const;

export type ServiceName = keyof typeof SERVICE_FUNCTIONS;
export const SERVICES = Object.keys(SERVICE_FUNCTIONS) as ServiceName[];

/** Services with an HTTP API (payload v2); realTimeService is reached over its WebSocket API. */
export const HTTP_API_SERVICES: readonly ServiceName[] = ['authService', 'connectService', 'messageService'];
export const WEBSOCKET_SERVICE: ServiceName = 'realTimeService';

export interface LambdaFunction {
  service: ServiceName;
  /** The function's key in serverless.yml, e.g. `sendMessage`. */
  name: string;
  /** The deployed Lambda name, `<service>-<stage>-<function>`. */
  fullName: string;
  logGroup: string;
}

export function lambdaFunctions(stage: string): LambdaFunction[] {
  return SERVICES.flatMap((service) =>
    SERVICE_FUNCTIONS[service].map((name) => {
      const fullName = `${service}-${stage}-${name}`;
      return { service, name, fullName, logGroup: `/aws/lambda/${fullName}` };
    }),
  );
}

/** Table name (default, as in SSM) → the indexes the code relies on. */
export const TABLES: Record<string, { parameter: ParameterName; indexes: string[] }> = {
  Users: { parameter: '/USERS_TABLE_NAME', indexes: ['nameSearchIndex', 'emailSearchIndex'] },
  Messages: { parameter: '/MESSAGE_TABLE_NAME', indexes: ['messageIdIndex'] },
  conversations: { parameter: '/CONVERSATIONS_TABLE_NAME', indexes: [] },
  'conversation-members-table': { parameter: '/CONVERSATION_MEMBERS_TABLE', indexes: ['userConversationsIndex'] },
  'websocket-connections': { parameter: '/WEBSOCKET_TABLE_NAME', indexes: ['userIdIndex'] },
};

export const PARAMETERS = ALL_PARAMETERS;

export const METRICS_NAMESPACE = 'RealTimeChat';
/** The contract's custom metrics, published while /ENABLE_METRICS is "true" (see docs/operations.md). */
export const CUSTOM_METRICS = ['MessagesPublished', 'FanoutFailures', 'ActiveConnections'] as const;
/** The services' other custom metrics: each counts something going wrong or being retried. */
export const PROBLEM_METRICS = ['EventPublishFailures', 'EventsRedelivered', 'MessageSendRetries', 'EphemeralDropped'] as const;

export const ALARM_TOPIC = 'workshop-alarms';
export const EVENTS_TOPIC = 'chat-message-topic';
export const REDIS_LOG_GROUP = '/aws/elasticache/realtime-redis';

/**
 * The names an API of a service can have: the one this project's serverless.yml sets first (it
 * names the WebSocket API `realTimeService-<stage>`), then Serverless Framework's defaults.
 */
export const httpApiNames = (service: string, stage: string) => [`${stage}-${service}`, `${service}-${stage}`];
export const websocketApiNames = (service: string, stage: string) => [`${service}-${stage}`, `${stage}-${service}-websockets`];
