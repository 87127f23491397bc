import fs from 'node:fs';
import { localClientConfig } from '../../scripts/lib/local-aws';
import type { Endpoints, Ports } from '../../scripts/lib/local-stack';

export type TestEndpoints = Endpoints & { ports: Ports; logFile: string; stackPid: number };

/** The endpoints of the local stack started by global-setup. */
export function endpoints(): TestEndpoints {
  const file = process.env.CHAT_TEST_ENDPOINTS;
  if (!file) throw new Error('CHAT_TEST_ENDPOINTS is not set: run integration tests through jest --selectProjects integration');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TestEndpoints;
}

/** AWS SDK client settings for the stand-ins (dummy credentials, the stack's region). */
export function awsConfig(endpoint: string) {
  return localClientConfig(endpoints().region, endpoint);
}
