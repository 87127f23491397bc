import { ssmClient, dynamoDocumentClient, cloudWatchClient } from './aws/clients';
import { SsmConfig } from './config/ssm-config';
import { Parameter } from './config/parameters';
import { DynamoRevocationStore, type RevocationStore } from './auth/revocations';
import { TokenVerifier } from './auth/token-verifier';
import { Metrics } from './observability/metrics';
import { httpRoute } from './http/handler';

/**
 * What every Lambda container of every service shares, created once per container (cold start):
 * run-time configuration from SSM, the DynamoDB client and metrics. Token checks come apart
 * (createRevocations, createTokenVerifier), so a function that checks no token carries no code that
 * reads the pool's settings or the revocation marks (npm run check:templates holds each function's
 * code to its role).
 */
export function createRuntime() {
  const config = new SsmConfig(ssmClient());
  const db = dynamoDocumentClient();
  const metrics = new Metrics(cloudWatchClient(), async () => (await config.find(Parameter.enableMetrics)) === 'true');
  return { config, db, metrics };
}

export type Runtime = ReturnType<typeof createRuntime>;

/** The revocation marks in `Users` (sign-out): what every authenticated request is held to. */
export const createRevocations = (runtime: Pick<Runtime, 'config' | 'db'>) => new DynamoRevocationStore(runtime.db, () => runtime.config.get(Parameter.usersTable));

/** Cognito token verification (aws-jwt-verify, pool and client from SSM) with the revocation marks. */
export const createTokenVerifier = (runtime: Pick<Runtime, 'config'>, revocations: RevocationStore) =>
  new TokenVerifier(async () => {
    const v = await runtime.config.getMany([Parameter.userPoolId, Parameter.clientId]);
    return { userPoolId: v[Parameter.userPoolId], clientId: v[Parameter.clientId] };
  }, revocations);

/** The runtime of an HTTP service: the shared runtime, token checks, and the route wrapper built on them. */
export function createHttpRuntime() {
  const runtime = createRuntime();
  const revocations = createRevocations(runtime);
  const verifier = createTokenVerifier(runtime, revocations);
  const route = httpRoute({ verifier: () => verifier, metrics: () => runtime.metrics });
  return { ...runtime, revocations, verifier, route };
}
