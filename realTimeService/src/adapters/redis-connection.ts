import type { ConnectionOptions } from 'node:tls';
import type Redis from 'ioredis';
import { Parameter, type ConfigSource } from '@shared/platform';
import { createRedis, endpointKey, isRedisReady, tlsFromEnvironment, type RedisEndpoint } from './redis-client';

const FIRST_CONNECT_WAIT_MS = Number(process.env.REDIS_CONNECT_TIMEOUT_MS ?? 1000);
/** How much longer than its block a blocking read may take before it counts as timed out. */
const BLOCKING_MARGIN_MS = 2000;

/**
 * The container's Redis, found through /REDIS_HOST and /REDIS_PORT at run time, over TLS when the
 * deployment requires it (REDIS_TLS, see serverless.yml's `redisTls`).
 *
 * `ready()` answers at once with the client when it is connected and with undefined when Redis is
 * down, so callers degrade instead of waiting. The one exception is a client that has never been
 * connected yet (a cold start): it is given up to the connect timeout, or every cold container
 * would drop its first typing event.
 */
export class RedisConnection {
  private readonly everReady = new WeakSet<Redis>();
  private shared: HeldClient | undefined;
  private blocking: HeldClient | undefined;

  constructor(
    private readonly config: ConfigSource,
    private readonly tls: ConnectionOptions | undefined = tlsFromEnvironment(),
  ) {}

  async endpoint(): Promise<RedisEndpoint | undefined> {
    const [host, port] = await Promise.all([this.config.find(Parameter.redisHost), this.config.find(Parameter.redisPort)]);
    if (!host || !port) return undefined;
    return { host, port: Number(port), tls: this.tls };
  }

  async ready(): Promise<Redis | undefined> {
    const endpoint = await this.endpoint();
    if (!endpoint) return undefined;
    this.shared = keepOrReplace(this.shared, endpoint);
    return this.whenReady(this.shared.client);
  }

  /** The client, or RedisUnavailable: for work that cannot be done without Redis (typing, presence). */
  async required(): Promise<Redis> {
    const client = await this.ready();
    if (!client) throw new RedisUnavailable();
    return client;
  }

  /**
   * A connection of its own for blocking reads (XREADGROUP BLOCK), whose command timeout leaves
   * room for the block: on the shared client a read blocked past 500 ms would time out.
   */
  async readyForBlocking(blockMs: number): Promise<Redis | undefined> {
    const endpoint = await this.endpoint();
    if (!endpoint) return undefined;
    this.blocking = keepOrReplace(this.blocking, endpoint, { commandTimeoutMs: blockMs + BLOCKING_MARGIN_MS });
    return this.whenReady(this.blocking.client);
  }

  /** Closes both connections, for a process that is about to end (the local worker, tests). */
  async close(): Promise<void> {
    for (const held of [this.shared, this.blocking]) held?.client.disconnect();
    this.shared = this.blocking = undefined;
  }

  private async whenReady(client: Redis): Promise<Redis | undefined> {
    if (isRedisReady(client)) {
      this.everReady.add(client);
      return client;
    }
    if (this.everReady.has(client)) return undefined;
    if (!(await firstReady(client))) return undefined;
    this.everReady.add(client);
    return client;
  }
}

interface HeldClient {
  key: string;
  client: Redis;
}

/** The held client while the endpoint is the same; a changed one (SSM says so) replaces it. */
function keepOrReplace(held: HeldClient | undefined, endpoint: RedisEndpoint, options?: Parameters<typeof createRedis>[1]): HeldClient {
  const key = endpointKey(endpoint);
  if (held?.key === key) return held;
  held?.client.disconnect();
  return { key, client: createRedis(endpoint, options) };
}

function firstReady(client: Redis): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(isRedisReady(client)), FIRST_CONNECT_WAIT_MS);
    client.once('ready', onReady);
  });
}

export class RedisUnavailable extends Error {
  constructor() {
    super('Redis is not available');
    this.name = 'RedisUnavailable';
  }
}

const defined = new WeakMap<Redis, Set<string>>();

/** Registers a Lua script as a command on this client once (ioredis then runs it by EVALSHA). */
export function withScript<C = object>(client: Redis, name: string, numberOfKeys: number, lua: string): Redis & C {
  const names = defined.get(client) ?? new Set<string>();
  if (!names.has(name)) {
    client.defineCommand(name, { numberOfKeys, lua });
    names.add(name);
    defined.set(client, names);
  }
  return client as Redis & C;
}
