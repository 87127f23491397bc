import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { CognitoJwtPayload } from 'aws-jwt-verify/jwt-model';
import { unauthorized } from '../errors';
import { logger } from '../observability/logger';
import type { RevocationStore } from './revocations';

export interface AuthenticatedUser {
  userId: string;
  email?: string;
  tokenUse: 'access' | 'id';
  /** Seconds since the epoch at which the token was issued. */
  issuedAt: number;
  expiresAt: number;
}

export interface CognitoSettings {
  userPoolId: string;
  clientId: string;
}

type Verifier = { verify(token: string): Promise<CognitoJwtPayload> };

/**
 * Verifies Cognito access and id tokens (signature, issuer, expiry, client id) with aws-jwt-verify,
 * then refuses tokens issued before the user's last sign-out.
 *
 * Against AWS the verifier downloads the pool's JWKS itself. When a local Cognito endpoint is
 * configured (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER), the JWKS is fetched from there and
 * handed to the same verifier, because aws-jwt-verify only downloads over https.
 */
export class TokenVerifier {
  private verifiers = new Map<string, Promise<Verifier>>();

  constructor(
    private readonly settings: () => Promise<CognitoSettings>,
    private readonly revocations: RevocationStore,
    private readonly localCognitoEndpoint: string | undefined = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
  ) {}

  async verify(token: string | undefined): Promise<AuthenticatedUser> {
    if (!token) throw unauthorized('Missing bearer token');
    const verifier = await this.verifier();
    let payload: CognitoJwtPayload;
    try {
      payload = await verifier.verify(token);
    } catch (err) {
      logger.info('auth.failure', { reason: (err as Error).name, detail: (err as Error).message });
      throw unauthorized('Invalid or expired token');
    }
    const user: AuthenticatedUser = {
      userId: payload.sub,
      email: typeof payload.email === 'string' ? payload.email : undefined,
      tokenUse: payload.token_use,
      issuedAt: payload.iat,
      expiresAt: payload.exp,
    };
    const revokedAt = await this.revocations.revokedAt(user.userId);
    if (revokedAt !== undefined && user.issuedAt <= revokedAt) {
      logger.info('auth.failure', { reason: 'TokenRevoked', userId: user.userId });
      throw unauthorized('Token has been revoked');
    }
    logger.appendKeys({ userId: user.userId });
    logger.info('auth.success', { userId: user.userId, tokenUse: user.tokenUse });
    return user;
  }

  private async verifier(): Promise<Verifier> {
    const { userPoolId, clientId } = await this.settings();
    const key = `${userPoolId}|${clientId}`;
    let verifier = this.verifiers.get(key);
    if (!verifier) {
      verifier = this.createVerifier(userPoolId, clientId);
      verifier.catch(() => this.verifiers.delete(key));
      this.verifiers = new Map([[key, verifier]]); // a changed pool or client replaces the old one
    }
    return verifier;
  }

  private async createVerifier(userPoolId: string, clientId: string): Promise<Verifier> {
    const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: null });
    if (this.localCognitoEndpoint) {
      const url = `${this.localCognitoEndpoint.replace(/\/$/, '')}/${userPoolId}/.well-known/jwks.json`;
      // Generous: this local-only fetch runs in a cold worker, often while the whole stack is busy starting up.
      const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      if (!response.ok) throw new Error(`Could not load JWKS from ${url}: HTTP ${response.status}`);
      verifier.cacheJwks((await response.json()) as Parameters<typeof verifier.cacheJwks>[0]);
    }
    return verifier as unknown as Verifier;
  }
}
