import fs from 'node:fs';

/** Stops the stack started by global-setup (SIGTERM: it stops every process it started). */
export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __chatStack?: { pid: number; dir: string } }).__chatStack;
  if (!stack) return;
  try {
    process.kill(stack.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && alive(stack.pid)) await new Promise((r) => setTimeout(r, 100));
  if (alive(stack.pid)) process.kill(-stack.pid, 'SIGKILL');
  // The folder (endpoints + stack.log) stays in the temp dir for a look after a failure.
  void fs;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
