import { ListInvalidation } from '../audience';
import { ConnectionRegistry } from '../connection-registry';
import { connections } from './connections';
import { runtime } from './core';
import { cache, ephemeral } from './redis';

/** The life of a connection ($connect, $disconnect, and the fan-out finding one gone). */
export const registry = new ConnectionRegistry(connections, new ListInvalidation(cache), ephemeral, runtime.metrics);
