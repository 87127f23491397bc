import { countRequestsOf, createRuntime } from '@shared/platform';
import { websocketRoutes } from '@shared/platform/websocket';

/*
 * realTimeService's composition root, in parts so that each function's bundle carries only what it
 * runs, and so its code can reach only what its role grants (npm run check:templates):
 *   core         every function: configuration, DynamoDB, metrics, the WebSocket wrapper for
 *                anonymous frames and $connect/$disconnect
 *   connections  the websocket-connections table
 *   identified   the wrapper for frames from a connection's user (message, typing): who is behind
 *                the connection, held to the revocation marks
 *   tokens       token verification ($connect)
 *   redis        the Redis connection, the lists cache and the ephemeral stream's publisher
 *   registry     the life of a connection ($connect, $disconnect)
 *   audience     members, conversations and connections behind the cache
 *   typing       typing state (typing)
 *   delivery     fan-out of durable events and of typing/presence (snsFanoutHandler, redisSubscriber)
 *   messages     the send use case (message)
 * Each part is built once per Lambda container (and by the local worker).
 */

export const runtime = createRuntime();
countRequestsOf(runtime.db);

/** For anonymous frames ($default) and the connection's lifecycle ($connect, $disconnect). */
export const websocket = websocketRoutes({ metrics: () => runtime.metrics });
