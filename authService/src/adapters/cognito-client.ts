import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { once, requestHandler } from '@shared/platform/aws/client-options';

/** The Cognito user pool client: authService only (it lives here, not in shared/, because nothing else uses it). */
export const cognitoClient = once(() => new CognitoIdentityProviderClient({ requestHandler }));
