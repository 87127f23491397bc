import path from 'node:path';
import { startProcess, waitForPort, type ManagedProcess } from './processes';

/** A `redis-server` of our own on `port` (never the machine's 6379), in memory unless dataDir is set. */
export async function startRedis(port: number, dataDir?: string, onLine?: (line: string) => void): Promise<ManagedProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', dataDir ? 'yes' : 'no'];
  if (dataDir) args.push('--dir', path.resolve(dataDir));
  const proc = startProcess('redis', 'redis-server', args, { onLine: (line) => onLine?.(line) });
  await waitForPort(port, 10_000, '127.0.0.1', proc.alive);
  return proc;
}
