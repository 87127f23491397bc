import { Parameter, type ParameterName } from './parameters';

/*
 * The account-unique names of one deployment (tables, topics, SSM parameters, the Redis log group,
 * alarms), so that two stages can live side by side in one AWS account and region.
 *
 * Every such name carries the deployment's name qualifier:
 *   qualifier `none`  the operations guide's names: `Users`, `chat-message-topic`, `/WEBSOCKET_DOMAIN`;
 *                     the default of stage `dev`
 *   qualifier `<q>`   `<name>-<q>`, and the SSM parameters under `/<q>/`: `Users-prod`,
 *                     `chat-message-topic-prod`, `/prod/WEBSOCKET_DOMAIN`; the default of any other
 *                     stage is the stage's own name
 * A deployment overrides it with `--param="nameQualifier=<q>"` (ops CLI: `--name-qualifier <q>`).
 *
 * The deployed names come from ../../../../serverless.common.yml (`names`), which spells out the
 * same rule for Serverless Framework; a unit test holds the two together. The ops CLI and the local
 * stack name things through this module; the functions only need the SSM prefix, which their
 * deployment hands them as SSM_PREFIX (see ssm-config.ts).
 */

/** The qualifier that keeps the operations guide's names. */
export const UNQUALIFIED = 'none';

/** The stage whose names are the operations guide's unless told otherwise. */
export const DEFAULT_STAGE = 'dev';

/** The operations guide's names: what a deployment with the qualifier `none` uses. */
export const GUIDE_NAMES = {
  usersTable: 'Users',
  messagesTable: 'Messages',
  conversationsTable: 'conversations',
  membersTable: 'conversation-members-table',
  connectionsTable: 'websocket-connections',
  chatTopic: 'chat-message-topic',
  alarmTopic: 'workshop-alarms',
  redisLogGroup: '/aws/elasticache/realtime-redis',
} as const;

export type ParameterKey = keyof typeof Parameter;
export type NamedResource = keyof typeof GUIDE_NAMES;

export interface DeploymentNames extends Record<NamedResource, string> {
  qualifier: string;
  /** What the qualifier adds to a resource name: '' or `-<q>`. */
  suffix: string;
  /** The path the SSM parameters live under: '' or `/<q>` (what SSM_PREFIX tells the functions). */
  ssmPrefix: string;
  /** The SSM name of each contract parameter in this deployment. */
  parameters: Record<ParameterKey, string>;
  /** The SSM name of a contract parameter in this deployment (`/ENABLE_METRICS` → `/prod/ENABLE_METRICS`). */
  parameter(name: ParameterName): string;
  /** Any other account-unique name (e.g. an alarm's) the way this deployment carries it. */
  qualify(name: string): string;
}

/**
 * Letters, digits, `-` and `_`: what a DynamoDB table, an SNS topic and an SSM path segment all
 * accept. SSM refuses names under a path that begins with `aws` or `ssm`.
 */
const QUALIFIER = /^(?![Aa][Ww][Ss]|[Ss][Ss][Mm])[A-Za-z0-9_-]{1,64}$/;

export class NameQualifierError extends Error {}

/** The qualifier a stage's names carry unless one is given: `none` for `dev`, the stage's name otherwise. */
export function nameQualifierOf(stage: string, override?: string): string {
  return override ?? (stage === DEFAULT_STAGE ? UNQUALIFIED : stage);
}

/** The names of the deployment with this qualifier (see the rule above). */
export function deploymentNames(qualifier: string): DeploymentNames {
  if (qualifier !== UNQUALIFIED && !QUALIFIER.test(qualifier)) {
    throw new NameQualifierError(`name qualifier "${qualifier}": use 1-64 letters, digits, - or _ (not starting with aws or ssm), or ${UNQUALIFIED} for the guide's names`);
  }
  const suffix = qualifier === UNQUALIFIED ? '' : `-${qualifier}`;
  const ssmPrefix = qualifier === UNQUALIFIED ? '' : `/${qualifier}`;
  const qualify = (name: string) => `${name}${suffix}`;
  const parameter = (name: ParameterName) => `${ssmPrefix}${name}`;
  const resources = Object.fromEntries(Object.entries(GUIDE_NAMES).map(([key, name]) => [key, qualify(name)])) as Record<NamedResource, string>;
  const parameters = Object.fromEntries(Object.entries(Parameter).map(([key, name]) => [key, parameter(name)])) as Record<ParameterKey, string>;
  return { ...resources, qualifier, suffix, ssmPrefix, parameters, parameter, qualify };
}

/** The names of a stage, with an optional qualifier override. */
export const stageNames = (stage: string, qualifierOverride?: string): DeploymentNames => deploymentNames(nameQualifierOf(stage, qualifierOverride));
