import { MembersByUserTable } from '@shared/chat/adapters/members-by-user-table';
import { Parameter } from '@shared/platform';
import { RedisEphemeralPublisher, RedisEphemeralStream } from '../adapters/ephemeral-stream';
import { RedisListCache } from '../adapters/list-cache';
import { RedisConnection } from '../adapters/redis-connection';
import { TypingState } from '../adapters/typing-state';
import { ApiGatewayConnections } from '../adapters/websocket-gateway';
import { Audience } from '../audience';
import { ConnectionRegistry } from '../connection-registry';
import { DurableEventFanOut } from '../durable-events';
import { FanOut } from '../fan-out';
import { RedisSubscriber } from '../redis-subscriber';
import { Typing } from '../typing';
import { connections, runtime } from './core';

/** How long a cached member, conversation or connection list may live if an invalidation is lost. */
const CACHE_TTL_SECONDS = 60;
/** `typing: true` lapses 5 s after the last one; at most 5 starts per user and conversation per 10 s. */
const TYPING_LIMITS = { ttlMs: 5_000, maxStarts: 5, windowMs: 10_000 };

/** Connections, fan-out, typing and presence: everything that reaches clients, with Redis in front. */
const redis = new RedisConnection(runtime.config);
const members = new MembersByUserTable(runtime.db, () => runtime.config.get(Parameter.membersTable));
const audience = new Audience(members, connections, new RedisListCache(() => redis.ready(), CACHE_TTL_SECONDS));
const ephemeral = new RedisEphemeralPublisher(redis);
const typingState = new TypingState(redis, TYPING_LIMITS);

export const registry = new ConnectionRegistry(connections, audience, ephemeral, runtime.metrics);
const fanOut = new FanOut(audience, new ApiGatewayConnections(runtime.config), registry, runtime.metrics, { concurrency: 25 });
export const durableEvents = new DurableEventFanOut(audience, fanOut);
export const typing = new Typing(audience, typingState, ephemeral, runtime.metrics);
export const subscriber = new RedisSubscriber(new RedisEphemeralStream(redis), typingState, audience, fanOut, registry, runtime.metrics);
