import { logger, unauthorized, type AuthenticatedUser, type RevocationStore } from '@shared/platform';
import type { ConnectionStore } from './ports';

/**
 * Who is behind a connection, for each frame: the user recorded at `$connect`, unless their
 * token has been revoked since (sign-out), which refuses the frame (401) until they reconnect.
 */
export class ConnectionIdentity {
  constructor(
    private readonly table: Pick<ConnectionStore, 'get'>,
    private readonly revocations: Pick<RevocationStore, 'revokedAt'>,
  ) {}

  async identify(connectionId: string): Promise<AuthenticatedUser> {
    const connection = await this.table.get(connectionId);
    if (!connection) throw unauthorized('This connection is not registered; reconnect');
    const revokedAt = await this.revocations.revokedAt(connection.userId);
    if (revokedAt !== undefined && connection.tokenIssuedAt <= revokedAt) {
      logger.info('auth.failure', { reason: 'TokenRevoked', userId: connection.userId });
      throw unauthorized('Token has been revoked; reconnect with a new one');
    }
    logger.appendKeys({ userId: connection.userId });
    return { userId: connection.userId, tokenUse: connection.tokenUse, issuedAt: connection.tokenIssuedAt, expiresAt: connection.tokenExpiresAt };
  }
}
