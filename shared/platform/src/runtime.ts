import { ssmClient, dynamoDocumentClient, cloudWatchClient } from './aws/clients';
import { SsmConfig } from './config/ssm-config';
import { Parameter } from './config/parameters';
import { DynamoRevocationStore } from './auth/revocations';
import { TokenVerifier } from './auth/token-verifier';
import { Metrics } from './observability/metrics';
import { httpRoute } from './http/handler';

/**
 * What every Lambda container of every service shares, created once per container (cold start):
 * run-time configuration from SSM, the DynamoDB client, token verification with revocation,
 * metrics and the HTTP route wrapper built on them.
 */
export function createRuntime() {
  const config = new SsmConfig(ssmClient());
  const db = dynamoDocumentClient();
  const revocations = new DynamoRevocationStore(db, () => config.get(Parameter.usersTable));
  const verifier = new TokenVerifier(async () => {
    const v = await config.getMany([Parameter.userPoolId, Parameter.clientId]);
    return { userPoolId: v[Parameter.userPoolId], clientId: v[Parameter.clientId] };
  }, revocations);
  const metrics = new Metrics(cloudWatchClient(), async () => (await config.find(Parameter.enableMetrics)) === 'true');
  const route = httpRoute({ verifier: () => verifier, metrics: () => metrics });
  return { config, db, revocations, verifier, metrics, route };
}

export type Runtime = ReturnType<typeof createRuntime>;
