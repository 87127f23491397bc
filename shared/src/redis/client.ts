import Redis from 'ioredis';
import { logger } from '../observability/logger';

export interface RedisEndpoint {
  host: string;
  port: number;
}

const TIMEOUTS = {
  connectMs: Number(process.env.REDIS_CONNECT_TIMEOUT_MS ?? 1000),
  commandMs: Number(process.env.REDIS_COMMAND_TIMEOUT_MS ?? 500),
};

let current: { key: string; client: Redis } | undefined;

/**
 * The container's Redis client for the given endpoint (from SSM /REDIS_HOST and /REDIS_PORT).
 * Redis is an accelerator, so the client fails fast instead of queueing while it is down
 * (callers fall back or degrade), and keeps reconnecting in the background so that it recovers
 * by itself. A changed endpoint replaces the client.
 */
export function redisClient(endpoint: RedisEndpoint): Redis {
  const key = `${endpoint.host}:${endpoint.port}`;
  if (current?.key === key) return current.client;
  if (current) current.client.disconnect();
  const client = createRedis(endpoint);
  current = { key, client };
  return client;
}

/**
 * A new connection (e.g. a dedicated subscriber connection), with the same timeouts and logging.
 * `commandTimeoutMs` lets a connection that issues blocking reads (XREADGROUP BLOCK) wait longer.
 */
export function createRedis(endpoint: RedisEndpoint, options: { offlineQueue?: boolean; commandTimeoutMs?: number } = {}): Redis {
  const where = { redisHost: endpoint.host, redisPort: endpoint.port };
  const client = new Redis({
    host: endpoint.host,
    port: endpoint.port,
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

export function isRedisReady(client: Redis | undefined): client is Redis {
  return client?.status === 'ready';
}
