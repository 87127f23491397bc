import { createHttpRuntime, Parameter } from '@shared/platform';
import { UsersTable } from '@shared/chat/adapters';
import { cognitoClient } from './adapters/cognito-client';
import { CognitoIdentity } from './adapters/cognito-identity';
import { AuthUseCases } from './auth';

/** authService's composition root: built once per Lambda container. */
export const runtime = createHttpRuntime();
export const route = runtime.route;

const cognitoSettings = async () => {
  const v = await runtime.config.getMany([Parameter.userPoolId, Parameter.clientId]);
  return { userPoolId: v[Parameter.userPoolId], clientId: v[Parameter.clientId] };
};

export const auth = new AuthUseCases(
  new CognitoIdentity(cognitoClient(), cognitoSettings),
  new UsersTable(runtime.db, () => runtime.config.get(Parameter.usersTable)),
  runtime.revocations,
);
