import type { ConnectionOptions } from 'node:tls';
import Redis from 'ioredis';
import { logger } from '@shared/platform/observability/logger';

export interface RedisEndpoint {
  host: string;
  port: number;
  /**
   * Encryption in transit, for a server that requires it (ElastiCache with
   * TransitEncryptionEnabled). `{}` verifies the server against the system's CAs by its host name.
   */
  tls?: ConnectionOptions;
}

/** TLS as this container's environment says: REDIS_TLS=true, set by the deployment (serverless.yml). */
export const tlsFromEnvironment = (): ConnectionOptions | undefined => (process.env.REDIS_TLS === 'true' ? {} : undefined);

const TIMEOUTS = {
  connectMs: Number(process.env.REDIS_CONNECT_TIMEOUT_MS ?? 1000),
  commandMs: Number(process.env.REDIS_COMMAND_TIMEOUT_MS ?? 500),
};

/**
 * A connection to `endpoint` (from SSM /REDIS_HOST and /REDIS_PORT). Redis is an accelerator, so
 * the client fails fast instead of queueing while it is down (callers fall back or degrade), and
 * keeps reconnecting in the background so that it recovers by itself. `commandTimeoutMs` lets a
 * connection that issues blocking reads (XREADGROUP BLOCK) wait longer.
 */
export function createRedis(endpoint: RedisEndpoint, options: { offlineQueue?: boolean; commandTimeoutMs?: number } = {}): Redis {
  const where = { redisHost: endpoint.host, redisPort: endpoint.port, redisTls: Boolean(endpoint.tls) };
  const client = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    tls: endpoint.tls,
    connectTimeout: TIMEOUTS.connectMs,
    commandTimeout: options.commandTimeoutMs ?? TIMEOUTS.commandMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: options.offlineQueue ?? false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  });
  let wasDown = false;
  client.on('ready', () => {
    logger.info('redis.connected', { ...where, recovered: wasDown });
    wasDown = false;
  });
  client.on('error', (err: Error & { code?: string }) => {
    if (!wasDown) logger.warn('redis.error', { ...where, error: err.message, code: err.code, timeout: /timed? ?out/i.test(err.message) });
    wasDown = true;
  });
  return client;
}

/** Tells endpoints apart: a changed host, port or TLS setting needs a new connection. */
export const endpointKey = (endpoint: RedisEndpoint) => `${endpoint.tls ? 'rediss' : 'redis'}://${endpoint.host}:${endpoint.port}`;

export function isRedisReady(client: Redis | undefined): client is Redis {
  return client?.status === 'ready';
}
