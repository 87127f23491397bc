import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';

/** Ports this process has handed out: a port is free until its server binds it, and the OS may offer it again meanwhile. */
const handedOut = new Set<number>();

/**
 * A free TCP port on the loopback interface, never one this process handed out before: the stack
 * asks for several before any of its servers has bound one (DynamoDB Local once got cognito-local's).
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.on('error', reject);
      server.listen(0, host, () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1', isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(port, host)) return;
    if (!isAlive()) throw new Error(`process exited before port ${port} opened`);
    if (Date.now() > deadline) throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function canConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function assertPortFree(port: number, what: string): Promise<void> {
  if (await canConnect(port, '127.0.0.1')) {
    throw new Error(`Port ${port} (${what}) is already in use. Stop what uses it, or choose other ports (see README: "Ports").`);
  }
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  alive(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts a child process in its own process group, hands each output line to onLine, and stops
 * the whole group (SIGTERM, then SIGKILL) so no grandchildren outlive the stack.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { onLine?: (line: string, stream: 'stdout' | 'stderr') => void } = {},
): ManagedProcess {
  const { onLine, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...spawnOptions });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  child.once('error', () => (exited = true));
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream];
    if (source) readline.createInterface({ input: source }).on('line', (line) => onLine?.(line, stream));
  }
  return {
    name,
    child,
    alive: () => !exited,
    async stop() {
      if (exited || child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      const killed = await Promise.race([exitedPromise.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) {
        signalGroup(child.pid, 'SIGKILL');
        await Promise.race([exitedPromise, sleep(2000)]);
      }
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when `command` can be run (e.g. `java -version`). */
export function hasCommand(command: string, args: string[] = ['--version']): boolean {
  const out = spawnSync(command, args, { stdio: 'ignore' });
  return !out.error && out.status === 0;
}
