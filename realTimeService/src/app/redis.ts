import { RedisEphemeralPublisher } from '../adapters/ephemeral-stream';
import { RedisListCache } from '../adapters/list-cache';
import { RedisConnection } from '../adapters/redis-connection';
import { runtime } from './core';

/** How long a cached member, conversation or connection list may live if an invalidation is lost. */
const CACHE_TTL_SECONDS = 60;

/** Redis: the lists cache in front of DynamoDB and the ephemeral stream (typing, presence). */
export const redis = new RedisConnection(runtime.config);
export const cache = new RedisListCache(() => redis.ready(), CACHE_TTL_SECONDS);
export const ephemeral = new RedisEphemeralPublisher(redis);
