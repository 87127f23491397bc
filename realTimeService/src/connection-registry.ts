import { logger, type AuthenticatedUser, type MetricsSink } from '@shared/platform';
import type { ListInvalidation } from './audience';
import type { ConnectionStore, EphemeralPublisher, Removal } from './ports';

/**
 * How long a connection's record outlives its `$connect` if its `$disconnect` is missed: longer
 * than API Gateway's 2-hour connection limit, so it only ever ends records that are stale.
 */
export const CONNECTION_TTL_SECONDS = 3 * 3600;

/**
 * The life of a connection: recorded at `$connect` with the verified user (ConnectionIdentity reads
 * it back for each frame), removed at `$disconnect` or when a fan-out finds it gone (410). Each
 * change keeps the ActiveConnections gauge and the connections cache true, and announces presence:
 * online with a user's first connection, offline when their last one goes.
 */
export class ConnectionRegistry {
  constructor(
    private readonly table: Pick<ConnectionStore, 'add' | 'remove' | 'activeConnections'>,
    private readonly audience: Pick<ListInvalidation, 'forgetConnections'>,
    private readonly ephemeral: Pick<EphemeralPublisher, 'publish'>,
    private readonly metrics: Pick<MetricsSink, 'count' | 'gauge'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async connect(connectionId: string, user: AuthenticatedUser, correlationId: string): Promise<void> {
    const now = this.clock();
    const { userConnections, activeConnections } = await this.table.add({
      connectionId,
      userId: user.userId,
      connectedAt: now.toISOString(),
      tokenIssuedAt: user.issuedAt,
      tokenExpiresAt: user.expiresAt,
      tokenUse: user.tokenUse,
      expiresAt: Math.floor(now.getTime() / 1000) + CONNECTION_TTL_SECONDS,
    });
    await this.audience.forgetConnections(user.userId);
    this.metrics.gauge('ActiveConnections', activeConnections);
    logger.info('connection.opened', { connectionId, userId: user.userId, userConnections, activeConnections });
    if (userConnections === 1) await this.announcePresence(user.userId, 'online', correlationId);
  }

  async disconnect(connectionId: string, correlationId: string): Promise<void> {
    await this.settle(connectionId, await this.table.remove(connectionId), correlationId, 'disconnected');
  }

  /**
   * A PostToConnection answered 410: the client went without a `$disconnect` (or is still inside
   * its `$connect`, which the grace period tells apart). Returns whether it was removed.
   */
  async forgetGone(connectionId: string, userId: string, correlationId: string, graceMs: number): Promise<boolean> {
    const connectedBefore = new Date(this.clock().getTime() - graceMs).toISOString();
    const removal = await this.table.remove(connectionId, { userId, connectedBefore });
    // Even when the row had gone already, the id was still in the cached list that led here.
    if (removal.kind === 'absent') await this.audience.forgetConnections(userId);
    await this.settle(connectionId, removal, correlationId, 'gone');
    return removal.kind !== 'kept';
  }

  /** Publishes the ActiveConnections gauge from the counter (the subscriber does so every minute). */
  async publishActiveConnections(): Promise<number> {
    const active = await this.table.activeConnections();
    this.metrics.gauge('ActiveConnections', active);
    return active;
  }

  private async settle(connectionId: string, removal: Removal, correlationId: string, reason: 'disconnected' | 'gone'): Promise<void> {
    if (removal.kind === 'kept') {
      logger.info('connection.kept', { connectionId, reason: 'younger than the grace period' });
      return;
    }
    if (removal.kind === 'absent') return;
    await this.audience.forgetConnections(removal.userId);
    this.metrics.gauge('ActiveConnections', removal.activeConnections);
    logger.info('connection.closed', { connectionId, userId: removal.userId, reason, userConnections: removal.userConnections, activeConnections: removal.activeConnections });
    if (removal.userConnections === 0) await this.announcePresence(removal.userId, 'offline', correlationId);
  }

  /** Presence is ephemeral: without Redis it is dropped (logged, counted) and the connection is unaffected. */
  private async announcePresence(userId: string, status: 'online' | 'offline', correlationId: string): Promise<void> {
    try {
      await this.ephemeral.publish({ kind: 'presence', userId, status, correlationId, at: this.clock().toISOString() });
    } catch (err) {
      this.metrics.count('EphemeralDropped');
      logger.warn('presence.dropped', { userId, status, error: (err as Error).message });
    }
  }
}
