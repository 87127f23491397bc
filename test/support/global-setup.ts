import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/paths';

/**
 * Starts one whole local stack (every service, every stand-in) on free ports for the integration
 * and end-to-end tests, in its own process group (the same `npm start` script), so a running
 * `npm start` or a second test run does not collide with it and a blocking call in a test cannot
 * stall the stand-ins. Tests find the endpoints through CHAT_TEST_ENDPOINTS (see ./stack.ts).
 */
export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-test-'));
  const endpointsFile = path.join(dir, 'endpoints.json');
  const logFile = path.join(dir, 'stack.log');
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), 'scripts/local/start.ts', '--free-ports', '--endpoints-file', endpointsFile, '--log-file', logFile, '--config-ttl', '2'],
    { cwd: ROOT, detached: true, stdio: 'ignore', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  let exitCode: number | null = null;
  child.on('exit', (code) => (exitCode = code ?? -1));
  while (!fs.existsSync(endpointsFile)) {
    if (exitCode !== null) throw new Error(`local stack exited with ${exitCode}; see ${logFile}:\n${tail(logFile)}`);
    if (Date.now() - started > 180_000) throw new Error(`local stack not ready after 180 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const endpoints = JSON.parse(fs.readFileSync(endpointsFile, 'utf8'));
  fs.writeFileSync(endpointsFile, JSON.stringify({ ...endpoints, logFile, stackPid: child.pid }));
  process.env.CHAT_TEST_ENDPOINTS = endpointsFile;
  (globalThis as { __chatStack?: { pid: number; dir: string } }).__chatStack = { pid: child.pid!, dir };
  process.stdout.write(`\nlocal stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s (log: ${logFile})\n`);
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
