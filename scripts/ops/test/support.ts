import { spawn, type ChildProcess } from 'node:child_process';
import { endpoints } from '../../../test/support/stack';
import { ROOT } from '../../lib/paths';

export { sleep } from '../../local/processes';

/** The functions' SSM cache time in the test stack (test/support/global-setup.ts passes --config-ttl 2). */
export const CONFIG_TTL_MS = 2_000;

/** `health --timeout` for checks that must pass: a cold start on the busy 2-core test machine takes seconds. */
export const SLOW_MACHINE_TIMEOUT_MS = 20_000;

export interface OpsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How a command is started: against the test stack's endpoints file (default), or in AWS mode with extra environment. */
export interface OpsMode {
  aws?: boolean;
  env?: NodeJS.ProcessEnv;
}

function opsProcess(args: string[], mode: OpsMode = {}): ChildProcess {
  const env = { ...process.env, ...mode.env };
  delete env.NODE_OPTIONS;
  const target = mode.aws ? [] : ['--endpoints', process.env.CHAT_TEST_ENDPOINTS!];
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/ops/cli.ts', ...args, ...target], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `npm run ops -- <args>` against the test stack, the way an operator runs it. */
export function ops(...args: string[]): Promise<OpsRun> {
  return opsIn({}, ...args);
}

export function opsIn(mode: OpsMode, ...args: string[]): Promise<OpsRun> {
  endpoints(); // fails early with a clear message outside the integration project
  const child = opsProcess(args, mode);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs an ops command with --json and parses what it printed; rejects on a non-zero exit. */
export async function opsJson<T = any>(...args: string[]): Promise<T> {
  const run = await ops(...args, '--json');
  if (run.code !== 0) throw new Error(`ops ${args.join(' ')} exited ${run.code}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}

/** A long-running ops command (e.g. `logs --tail`): its output so far, and a way to stop it. */
export function opsInBackground(...args: string[]) {
  const child = opsProcess(args);
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c: Buffer) => (output.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output.stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    output,
    async stop(): Promise<number | null> {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** Polls `read` until `done` holds for its result; gives up (returning the last result) after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000, everyMs = 1_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
