import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  ConfirmSignUpCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AppError, badRequest, conflict, forbidden, logger, unauthorized } from '@shared/platform';
import type { IdentityProvider, Tokens } from '../ports';
import { passwordPolicy } from '../password-policy';

/** Cognito user pool adapter; turns Cognito's exceptions into the contract's client errors. */
export class CognitoIdentity implements IdentityProvider {
  constructor(
    private readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>,
    private readonly settings: () => Promise<{ userPoolId: string; clientId: string }>,
  ) {}

  async signUp(email: string, password: string, fullName: string): Promise<{ userId: string }> {
    const { clientId } = await this.settings();
    const out = await this.call(() =>
      this.cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: email,
          Password: password,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'name', Value: fullName },
          ],
        }),
      ),
    );
    return { userId: out.UserSub! };
  }

  async confirmSignUp(email: string, code: string): Promise<void> {
    const { clientId } = await this.settings();
    await this.call(() => this.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code })));
  }

  async resendConfirmationCode(email: string): Promise<void> {
    const { clientId } = await this.settings();
    try {
      await this.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email }));
    } catch (err) {
      // Same answer for an unknown email as for a known one: the route must not reveal who has an account.
      if ((err as Error).name === 'UserNotFoundException') return;
      throw toClientError(err);
    }
  }

  async signIn(email: string, password: string): Promise<Tokens> {
    const { clientId } = await this.settings();
    const out = await this.call(() =>
      this.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      ),
    );
    const result = out.AuthenticationResult;
    if (!result?.AccessToken || !result.IdToken) throw forbidden(`Sign-in needs an extra step (${out.ChallengeName ?? 'unknown'})`);
    return {
      accessToken: result.AccessToken,
      idToken: result.IdToken,
      refreshToken: result.RefreshToken,
      expiresIn: result.ExpiresIn ?? 3600,
      tokenType: result.TokenType ?? 'Bearer',
    };
  }

  async lookup(email: string): Promise<{ userId: string; email: string; fullName: string }> {
    const { userPoolId } = await this.settings();
    const out = await this.call(() => this.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email })));
    const attr = (name: string) => out.UserAttributes?.find((a) => a.Name === name)?.Value;
    return { userId: attr('sub') ?? out.Username!, email: attr('email') ?? email, fullName: attr('name') ?? '' };
  }

  async globalSignOut(accessToken: string | undefined, email: string | undefined): Promise<void> {
    if (accessToken) {
      await this.call(() => this.cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken })));
    } else if (email) {
      const { userPoolId } = await this.settings();
      await this.call(() => this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: email })));
    }
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toClientError(err);
    }
  }
}

function toClientError(err: unknown): unknown {
  const { name, message } = err as Error;
  const mapped: Record<string, () => AppError> = {
    UsernameExistsException: () => conflict('An account with this email already exists'),
    AliasExistsException: () => conflict('An account with this email already exists'),
    InvalidPasswordException: () => badRequest(passwordPolicy.description, 'password'),
    CodeMismatchException: () => badRequest('Invalid confirmation code', 'code'),
    ExpiredCodeException: () => badRequest('Confirmation code has expired; request a new one', 'code'),
    UserNotConfirmedException: () =>
      forbidden('Account is not confirmed: confirm it with the code sent by email (POST /confirmSignUp)'),
    PasswordResetRequiredException: () => forbidden('Password reset required'),
    NotAuthorizedException: () =>
      /already confirmed|status is CONFIRMED/i.test(message) ? conflict('Account is already confirmed') : unauthorized('Incorrect email or password'),
    UserNotFoundException: () => unauthorized('Incorrect email or password'),
    InvalidParameterException: () =>
      /already confirmed/i.test(message) ? conflict('Account is already confirmed') : badRequest(message),
    TooManyRequestsException: () => new AppError(429, 'RATE_LIMITED', 'Too many requests'),
    LimitExceededException: () => new AppError(429, 'RATE_LIMITED', 'Too many attempts; try again later'),
    TooManyFailedAttemptsException: () => new AppError(429, 'RATE_LIMITED', 'Too many failed attempts; try again later'),
  };
  const make = mapped[name];
  if (!make) return err;
  logger.info('cognito.rejected', { cognitoError: name });
  return make();
}

