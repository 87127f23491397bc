import { createRevocations } from '@shared/platform';
import { websocketRoutes } from '@shared/platform/websocket';
import { ConnectionIdentity } from '../connection-identity';
import { connections } from './connections';
import { runtime } from './core';

const identity = new ConnectionIdentity(connections, createRevocations(runtime));

/** For frames from the user behind a connection (message, typing), held to that user's revocation mark. */
export const identifiedWebsocket = websocketRoutes({ metrics: () => runtime.metrics, identify: (connectionId) => identity.identify(connectionId) });
