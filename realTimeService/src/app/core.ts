import { countRequestsOf, createRuntime, Parameter } from '@shared/platform';
import { websocketRoutes } from '@shared/platform/websocket';
import { ConnectionsTable } from '../adapters/connections-table';
import { ConnectionIdentity } from '../connection-identity';

/*
 * realTimeService's composition root, in three parts so that each function's bundle carries only
 * what it runs: this core (every function), ./delivery (Redis, fan-out, typing, presence) and
 * ./messages (the send use case). `default` and `message` never load the Redis client.
 * Each part is built once per Lambda container (and by the local worker).
 */

export const runtime = createRuntime();
countRequestsOf(runtime.db);

export const connections = new ConnectionsTable(runtime.db, () => runtime.config.get(Parameter.connectionsTable));
const identity = new ConnectionIdentity(connections, runtime.revocations);

export const websocket = websocketRoutes({ metrics: () => runtime.metrics, identify: (connectionId) => identity.identify(connectionId) });
