import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SERVERLESS_BIN } from '../lib/paths';

/*
 * `serverless package --stage <stage> --package <out>` for each service and stage, offline, without
 * touching the service folders: Serverless Framework uses `<service>/.serverless` as its scratch
 * folder (and deletes it when it moves the result to --package), and the local stack and
 * `npm run package:all` use those folders too. So each package runs in a scaffold of its own under
 * .local/: the repository's entries linked in, the service folder a real folder with its
 * serverless.yml copied (the framework refuses a linked one) and its sources linked, so the
 * bundles are built from the very same files. Scaffolds of their own also let two stages of one
 * service build at the same time.
 */

/** Left out of a scaffold: version control, the local stack's folder (the scaffold lives there), and what node resolves by walking up. */
const NOT_LINKED = new Set(['.git', '.local', 'node_modules']);
/** A service's own build output, never to be shared with a scaffold. */
const SERVICE_SCRATCH = /^\.(serverless|esbuild.*)$/;

export class PackageError extends Error {}

export interface PackageJob {
  service: string;
  stage: string;
}

export interface PackagedDir extends PackageJob {
  /** What --package wrote: the templates, serverless-state.json and the function zips. */
  dir: string;
  durationMs: number;
}

export interface PackageOptions {
  services: readonly string[];
  stages: readonly string[];
  /** Where the results go: `<outDir>/<stage>/<service>`. */
  outDir: string;
  /** Packages at a time; each is one node process with esbuild (2 suits a 2-core machine). */
  concurrency?: number;
  /** A broken build can leave `serverless package` waiting forever; it is killed after this long. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** The service folders of the repository: the ones with a serverless.yml. */
export function serviceFolders(): string[] {
  return fs
    .readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(ROOT, e.name, 'serverless.yml')))
    .map((e) => e.name)
    .sort();
}

/** Packages every service for every stage; throws a PackageError naming the ones that failed. */
export async function packageServices(options: PackageOptions): Promise<PackagedDir[]> {
  const log = options.log ?? (() => undefined);
  const outDir = options.outDir;
  fs.mkdirSync(path.join(ROOT, '.local'), { recursive: true });
  const scaffoldRoot = fs.mkdtempSync(path.join(ROOT, '.local', 'deploy-check-'));
  const jobs = options.stages.flatMap((stage) => options.services.map((service) => ({ service, stage })));
  const results: PackagedDir[] = [];
  const failures: string[] = [];
  try {
    await pool(jobs, options.concurrency ?? 2, async (job) => {
      const started = Date.now();
      const dir = path.join(outDir, job.stage, job.service);
      const cwd = scaffold(scaffoldRoot, job);
      const run = await runPackage(cwd, job.stage, dir, options.timeoutMs ?? 180_000);
      const durationMs = Date.now() - started;
      if (run.code !== 0 || !fs.existsSync(path.join(dir, 'cloudformation-template-update-stack.json'))) {
        failures.push(`${job.service} (${job.stage}): exit ${run.code} after ${(durationMs / 1000).toFixed(1)} s\n${run.output.slice(-30).join('\n')}`);
        return;
      }
      log(`packaged ${job.service} (${job.stage}) in ${(durationMs / 1000).toFixed(1)} s`);
      results.push({ ...job, dir, durationMs });
    });
  } finally {
    fs.rmSync(scaffoldRoot, { recursive: true, force: true });
  }
  if (failures.length) throw new PackageError(`serverless package failed for ${failures.length} of ${jobs.length}:\n${failures.join('\n\n')}`);
  return results;
}

/** `<root>/<stage>/`: the repository's entries linked, the service a real folder (see above). */
function scaffold(scaffoldRoot: string, job: PackageJob): string {
  const root = path.join(scaffoldRoot, job.stage, job.service);
  const serviceDir = path.join(root, job.service);
  fs.mkdirSync(serviceDir, { recursive: true });
  for (const entry of fs.readdirSync(ROOT)) {
    if (!NOT_LINKED.has(entry) && entry !== job.service) fs.symlinkSync(path.join(ROOT, entry), path.join(root, entry));
  }
  for (const entry of fs.readdirSync(path.join(ROOT, job.service))) {
    if (SERVICE_SCRATCH.test(entry)) continue;
    const from = path.join(ROOT, job.service, entry);
    if (entry === 'serverless.yml') fs.copyFileSync(from, path.join(serviceDir, entry));
    else fs.symlinkSync(from, path.join(serviceDir, entry));
  }
  return serviceDir;
}

function runPackage(cwd: string, stage: string, out: string, timeoutMs: number): Promise<{ code: number; output: string[] }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    // Packaging needs no AWS; this keeps the SDK from probing the instance metadata service.
    AWS_EC2_METADATA_DISABLED: 'true',
    // Inside the scaffold: never the local stack's build folder.
    ESBUILD_WORK_FOLDER: '.esbuild',
  };
  delete env.NODE_OPTIONS; // e.g. a debugger or jest's flags would follow into the child
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVERLESS_BIN, 'package', '--stage', stage, '--package', out], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const output: string[] = [];
    const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter((l) => l.trim()));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      output.push(`(killed after ${timeoutMs / 1000} s without finishing)`);
      try {
        process.kill(-child.pid!, 'SIGKILL'); // its own process group: esbuild's service process goes too
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => output.push(String(err)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/** What an earlier run left in `<dir>/<stage>/<service>` (see `--keep`), to check again without packaging. */
export function packagedIn(dir: string): PackagedDir[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((stage) => stage.isDirectory())
    .flatMap((stage) =>
      fs
        .readdirSync(path.join(dir, stage.name), { withFileTypes: true })
        .filter((service) => service.isDirectory() && fs.existsSync(path.join(dir, stage.name, service.name, 'cloudformation-template-update-stack.json')))
        .map((service) => ({ service: service.name, stage: stage.name, dir: path.join(dir, stage.name, service.name), durationMs: 0 })),
    );
}
