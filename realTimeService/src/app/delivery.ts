import { RedisEphemeralStream } from '../adapters/ephemeral-stream';
import { ApiGatewayConnections } from '../adapters/websocket-gateway';
import { DurableEventFanOut } from '../durable-events';
import { FanOut } from '../fan-out';
import { RedisSubscriber } from '../redis-subscriber';
import { audience } from './audience';
import { runtime } from './core';
import { redis } from './redis';
import { registry } from './registry';
import { typingState } from './typing';

/** Delivery to connections: durable events (snsFanoutHandler) and typing/presence (redisSubscriber). */
const fanOut = new FanOut(audience, new ApiGatewayConnections(runtime.config), registry, runtime.metrics, { concurrency: 25 });
export const durableEvents = new DurableEventFanOut(audience, fanOut);
export const subscriber = new RedisSubscriber(new RedisEphemeralStream(redis), typingState, audience, fanOut, registry, runtime.metrics);
