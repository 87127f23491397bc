import path from 'node:path';
import { SERVERLESS_BIN } from '../lib/paths';
import { startProcess, waitForPort, type ManagedProcess } from './processes';

export interface OfflinePorts {
  http: number;
  lambda: number;
  websocket: number;
}

/**
 * One service under `serverless offline` (bundled by serverless-esbuild, like the deployed zip).
 * The environment points the AWS SDK at the local stand-ins through AWS_ENDPOINT_URL_<SERVICE>.
 */
export async function startOffline(
  serviceDir: string,
  ports: OfflinePorts,
  env: NodeJS.ProcessEnv,
  onLine: (line: string, stream: 'stdout' | 'stderr') => void,
  stage = 'dev',
  /** The port that tells the service is up (the HTTP port, or the WebSocket port of a WebSocket-only service). */
  readyPort: number = ports.http,
): Promise<ManagedProcess> {
  const args = [
    SERVERLESS_BIN, 'offline', 'start', '--stage', stage,
    '--host', '127.0.0.1',
    '--httpPort', String(ports.http),
    '--lambdaPort', String(ports.lambda),
    '--websocketPort', String(ports.websocket),
    // A cold start on a busy 2-core laptop can exceed the deployed 10 s timeout; serverless-offline
    // would then answer 200 with a "[504] - Lambda timeout." body, which no client expects.
    '--noTimeout',
    // Deployment knobs (serverless.yml `params`) that differ locally: the stack's redis-server
    // speaks plain TCP, where ElastiCache is deployed with encryption in transit.
    '--param', 'redisTls=false',
  ];
  const proc = startProcess(path.basename(serviceDir), process.execPath, args, { cwd: serviceDir, env, onLine });
  await waitForPort(readyPort, 90_000, '127.0.0.1', proc.alive);
  await waitForPort(ports.lambda, 30_000, '127.0.0.1', proc.alive);
  return proc;
}
