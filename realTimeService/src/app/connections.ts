import { Parameter } from '@shared/platform';
import { ConnectionsTable } from '../adapters/connections-table';
import { runtime } from './core';

export const connections = new ConnectionsTable(runtime.db, () => runtime.config.get(Parameter.connectionsTable));
