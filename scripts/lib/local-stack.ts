import type { StandInEndpoints } from './local-aws';

/*
 * What the local stack (scripts/local, `npm start`) publishes to the scripts and tests that use it:
 * its default ports and the endpoints it writes to .local/endpoints.json. Kept apart from the code
 * that starts it, so a reader of the endpoints (ops --local, the test helpers, the docs) does not
 * depend on the stack's machinery.
 */

/** Fixed default ports of the local stack (README "Ports"); every one can be overridden. */
export const DEFAULT_PORTS = {
  auth: 4001,
  connect: 4002,
  message: 4003,
  realtimeHttp: 4004,
  websocket: 4010,
  dynamodb: 4020,
  cognito: 4021,
  aws: 4022,
  redis: 4023,
  dashboard: 4030,
  lambdaBase: 4101,
  websocketBase: 4201,
};
export type Ports = typeof DEFAULT_PORTS;

/** Where the running stack answers (.local/endpoints.json, written once it is ready): the stand-ins, and the services. */
export interface Endpoints extends StandInEndpoints {
  auth?: string;
  connect?: string;
  message?: string;
  websocket?: string;
  /** The local dashboard page (operations guide §6). */
  dashboard?: string;
  redis: string;
  region: string;
  userPoolId: string;
  clientId: string;
  stage: string;
  confirmationCode: string;
  topicArn: string;
  lambda: Record<string, string>;
}
