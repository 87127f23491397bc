import { MESSAGE_ID_INDEX } from '@shared/chat/adapters/dynamo-message-store';
import { USER_CONVERSATIONS_INDEX } from '@shared/chat/adapters/members-by-user-table';
import { USER_SEARCH_INDEXES } from '@shared/chat/adapters/user-search-table';
import { GUIDE_NAMES } from '@shared/platform/config/deployment-names';
import { ALL_PARAMETERS, Parameter, type ParameterName } from '@shared/platform/config/parameters';

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

/**
 * Table name (the guide's, as stage dev has it in SSM) → the indexes the code relies on. Another
 * stage's table is `target.names.qualify(<name>)` (Users-prod); the commands read the names from SSM.
 */
export const TABLES: Record<string, { parameter: ParameterName; indexes: string[] }> = {
  Users: { parameter: Parameter.usersTable, indexes: [USER_SEARCH_INDEXES.name.indexName, USER_SEARCH_INDEXES.email.indexName] },
  Messages: { parameter: Parameter.messagesTable, indexes: [MESSAGE_ID_INDEX] },
  conversations: { parameter: Parameter.conversationsTable, indexes: [] },
  'conversation-members-table': { parameter: Parameter.membersTable, indexes: [USER_CONVERSATIONS_INDEX] },
  // realTimeService's own (USER_ID_INDEX in its connections-table.ts): named here so the tools work without that folder.
  'websocket-connections': { parameter: Parameter.connectionsTable, indexes: ['userIdIndex'] },
};

export const PARAMETERS = ALL_PARAMETERS;

export { METRICS_NAMESPACE } from '@shared/platform/observability/metrics';
/** The contract's custom metrics, published while /ENABLE_METRICS is "true" (see docs/operations.md). */
export const CUSTOM_METRICS = ['MessagesPublished', 'FanoutFailures', 'ActiveConnections'] as const;
/** The services' other custom metrics: each counts something going wrong or being retried. */
export const PROBLEM_METRICS = ['EventPublishFailures', 'EventsRedelivered', 'MessageSendRetries', 'EphemeralDropped'] as const;

/** The guide's names (stage dev's); a stage's own are in `target.names` (deployment-names.ts). */
export const ALARM_TOPIC = GUIDE_NAMES.alarmTopic;
export const EVENTS_TOPIC = GUIDE_NAMES.chatTopic;
export const REDIS_LOG_GROUP = GUIDE_NAMES.redisLogGroup;

/**
 * The names an API of a service can have: the one this project's serverless.yml sets first (it
 * names the WebSocket API `realTimeService-<stage>`), then Serverless Framework's defaults.
 */
export const httpApiNames = (service: string, stage: string) => [`${stage}-${service}`, `${service}-${stage}`];
export const websocketApiNames = (service: string, stage: string) => [`${service}-${stage}`, `${stage}-${service}-websockets`];
