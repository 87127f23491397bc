import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { once, requestHandler } from './client-options';

/** The Cognito user pool client: authService only (kept out of shared/src/index.ts on purpose). */
export const cognitoClient = once(() => new CognitoIdentityProviderClient({ requestHandler }));
