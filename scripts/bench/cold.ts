/**
 * `npm run bench:cold`: bundle size and cold init time of every function of every service.
 *
 * Packages every service (scripts/package-all.ts), then per function: the size of the handler's
 * JS inside its zip and of the zip, and the time a fresh `node` process takes to `require()` the
 * unzipped handler with the function's environment (median of --runs, default 7), split into the
 * AWS SDK modules the bundle leaves to the nodejs22.x runtime and the rest (our code, valibot,
 * aws-jwt-verify, ioredis, and constructing the SDK clients at module scope). Last, what
 * dominates the bundles, from esbuild's metafile.
 *
 *   npm run bench:cold [-- --runs 7] [service …]      (services: only those; default every one)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageServices, PackageError, type PackagedFunction, type PackagedService } from '../package-all';
import { commandLine } from '../lib/args';
import { ROOT, SERVICE_DIRS } from '../lib/paths';
import { bundleComposition, type BundleComposition } from './bundle-composition';
import { kb, markdownTable, median, ms, runContext } from './report';
import { extractZip, zipEntries } from './zip';

const BUNDLE_LIMIT_BYTES = 300 * 1024;
const PROBE = path.join(__dirname, 'cold-init-probe.js');

interface ProbeResult {
  ok: boolean;
  requireMs: number;
  sdkMs: number;
  sinceProcessStartMs: number;
  /** Outermost @aws-sdk/* module → ms, in load order. */
  sdkModules: Record<string, number>;
  error?: string;
}

interface FunctionUnderTest {
  service: PackagedService;
  fn: PackagedFunction;
  taskRoot: string;
  moduleFile: string;
  handlerJsBytes: number;
  zipBytes: number;
  runs: ProbeResult[];
}

const argv = process.argv.slice(2);
const { values: options, positionals: SERVICES } = commandLine('npm run bench:cold [-- --runs 7] [service …]', { runs: { type: 'string' } }, argv);
const RUNS = Number(options.runs ?? 7);

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1) {
    console.error(`bench:cold: --runs must be a whole number of at least 1, not ${options.runs}`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
  // Children (serverless, probes) share the terminal's process group and get the Ctrl-C too.
  process.once('SIGINT', () => {
    fs.rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  });
  try {
    const packaged = await packageServices({ services: SERVICES, log: (l) => console.error(l) });
    const runtimeModules = lambdaRuntimeModules(workDir);
    const functions = packaged.flatMap((service) => service.functions.map((fn) => unpack(service, fn, workDir)));

    console.error(`measuring cold init: ${functions.length} functions × ${RUNS} fresh processes …`);
    // Round-robin rather than function by function, so a noisy moment on the machine spreads out.
    for (let run = 0; run < RUNS; run++) {
      for (const f of functions) f.runs.push(await probe(f, runtimeModules));
    }
    console.error('bundling again with metafiles …');
    const compositions = new Map<string, Map<string, BundleComposition>>();
    for (const service of packaged) compositions.set(service.service, await bundleComposition(service.dir));

    print(functions, compositions);
    console.error(`\nbench:cold done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (err) {
    console.error(`\nbench:cold FAILED: ${err instanceof PackageError ? err.message : (err as Error).stack}`);
    process.exitCode = 1;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The runtime's own node_modules as the function sees it: only @aws-sdk/* (linked to the project's
 * copy), so anything else the bundle failed to include fails to load here as it would on Lambda.
 */
function lambdaRuntimeModules(workDir: string): string {
  const dir = path.join(workDir, 'runtime/node_modules');
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules/@aws-sdk'), path.join(dir, '@aws-sdk'), 'dir');
  return dir;
}

function unpack(service: PackagedService, fn: PackagedFunction, workDir: string): FunctionUnderTest {
  const handlerFile = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.js`;
  const entry = zipEntries(fs.readFileSync(fn.artifact)).find((e) => e.name === handlerFile);
  if (!entry) throw new Error(`${service.service}/${fn.name}: ${handlerFile} is not in ${fn.artifact}`);
  const taskRoot = path.join(workDir, service.service, fn.name);
  extractZip(fn.artifact, taskRoot);
  return {
    service,
    fn,
    taskRoot,
    moduleFile: path.join(taskRoot, handlerFile),
    handlerJsBytes: entry.size,
    zipBytes: fs.statSync(fn.artifact).size,
    runs: [],
  };
}

/** What Lambda sets for a nodejs22.x function, plus the function's own variables from the template. */
function lambdaEnvironment(f: FunctionUnderTest, runtimeModules: string): NodeJS.ProcessEnv {
  const { fn, service } = f;
  return {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    NODE_PATH: runtimeModules,
    LAMBDA_TASK_ROOT: f.taskRoot,
    LAMBDA_RUNTIME_DIR: path.dirname(runtimeModules),
    _HANDLER: fn.handler,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2000/01/01/[$LATEST]bench',
    AWS_REGION: service.region,
    AWS_DEFAULT_REGION: service.region,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    ...fn.environment,
  };
}

function probe(f: FunctionUnderTest, runtimeModules: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const exportName = f.fn.handler.slice(f.fn.handler.lastIndexOf('.') + 1);
    const child = spawn(process.execPath, [PROBE, f.moduleFile, exportName], {
      cwd: f.taskRoot,
      env: lambdaEnvironment(f, runtimeModules),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      // The module may log at load time: the probe's answer is its last stdout line.
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as ProbeResult);
      } catch {
        resolve({ ok: false, requireMs: NaN, sdkMs: NaN, sinceProcessStartMs: NaN, sdkModules: {}, error: `probe exited ${code}: ${stderr.trim().slice(0, 500)}` });
      }
    });
  });
}

function print(functions: FunctionUnderTest[], compositions: Map<string, Map<string, BundleComposition>>): void {
  const lines: string[] = [runContext(`npm run bench:cold${argv.length ? ` -- ${argv.join(' ')}` : ''}`), ''];
  lines.push(`### Bundle size and cold init per function (median of ${RUNS} fresh processes)`, '');
  const rows = functions.map((f) => {
    const good = f.runs.filter((r) => r.ok);
    const sdkPackages = new Set(good.flatMap((r) => Object.keys(r.sdkModules))).size;
    return [
      f.service.service,
      f.fn.name,
      kb(f.handlerJsBytes),
      kb(f.zipBytes),
      good.length === f.runs.length ? ms(median(good.map((r) => r.requireMs))) : `FAILED: ${f.runs.find((r) => !r.ok)?.error?.split('\n')[0]}`,
      ms(median(good.map((r) => r.sdkMs))),
      ms(median(good.map((r) => r.requireMs - r.sdkMs))),
      ms(median(good.map((r) => r.sinceProcessStartMs))),
      String(sdkPackages),
    ];
  });
  lines.push(
    markdownTable(
      ['service', 'function', ' handler JS', ' zip', ' require() total', ' of it: AWS SDK', ' of it: bundle', ' process start → ready', ' @aws-sdk/* packages loaded (see below)'],
      rows,
    ),
    '',
  );

  const over = functions.filter((f) => f.handlerJsBytes >= BUNDLE_LIMIT_BYTES || f.zipBytes >= BUNDLE_LIMIT_BYTES);
  const failed = functions.filter((f) => f.runs.some((r) => !r.ok));
  const largest = functions.reduce((a, b) => (b.handlerJsBytes > a.handlerJsBytes ? b : a));
  const missing = SERVICE_DIRS.filter((s) => !functions.some((f) => f.service.service === s));
  lines.push(
    over.length === 0
      ? `verdict: PASS — all ${functions.length} bundles under 300 KB (largest handler JS: ${largest.service.service}/${largest.fn.name} ${kb(largest.handlerJsBytes)}, zip ${kb(largest.zipBytes)})`
      : `verdict: FAIL — ${over.length} of ${functions.length} bundles at or over 300 KB: ${over.map((f) => `${f.service.service}/${f.fn.name} (${kb(f.handlerJsBytes)} JS, ${kb(f.zipBytes)} zip)`).join(', ')}`,
  );
  if (failed.length) lines.push(`init FAILED for: ${failed.map((f) => `${f.service.service}/${f.fn.name}`).join(', ')}`);
  if (missing.length) lines.push(`not measured (service folder missing): ${missing.join(', ')}`);
  lines.push('');

  lines.push(...sdkModuleTable(functions), '');
  lines.push(...compositionTables(functions, compositions));
  console.log(lines.join('\n'));
}

/**
 * Time per SDK module the bundles require at init, in the order they load. The first one also
 * pays for what all clients share (@smithy/*, @aws-sdk/core), so later ones show their own cost.
 */
function sdkModuleTable(functions: FunctionUnderTest[]): string[] {
  const samples = new Map<string, { first: number[]; later: number[] }>();
  for (const f of functions) {
    for (const run of f.runs.filter((r) => r.ok)) {
      Object.entries(run.sdkModules).forEach(([module, took], i) => {
        const s = samples.get(module) ?? { first: [], later: [] };
        (i === 0 ? s.first : s.later).push(took);
        samples.set(module, s);
      });
    }
  }
  const cost = (s: { first: number[]; later: number[] }) => Math.max(s.first.length ? median(s.first) : 0, s.later.length ? median(s.later) : 0);
  const rows = [...samples]
    .sort((a, b) => cost(b[1]) - cost(a[1]))
    .map(([module, s]) => [
      module,
      String(functions.filter((f) => f.runs.some((r) => module in r.sdkModules)).length),
      s.first.length ? ms(median(s.first)) : '–',
      s.later.length ? ms(median(s.later)) : '–',
    ]);
  return [
    '### AWS SDK modules loaded at init (median per require; "first" includes the SDK core all clients share)',
    '',
    markdownTable(['module', ' functions', ' when loaded first', ' when loaded after another'], rows),
  ];
}

/** What dominates the bundles: bytes per package / project folder across all functions, and the largest bundle's top inputs. */
function compositionTables(functions: FunctionUnderTest[], compositions: Map<string, Map<string, BundleComposition>>): string[] {
  const all = functions.map((f) => ({ f, c: compositions.get(f.service.service)?.get(f.fn.name) })).filter((x): x is { f: FunctionUnderTest; c: BundleComposition } => !!x.c);
  const totalBytes = all.reduce((sum, x) => sum + x.c.outputBytes, 0);
  const byGroup = new Map<string, number[]>();
  for (const { c } of all) for (const [group, bytes] of c.groups) byGroup.set(group, [...(byGroup.get(group) ?? []), bytes]);
  const groups = [...byGroup].map(([group, sizes]) => ({ group, sizes, sum: sizes.reduce((a, b) => a + b, 0) })).sort((a, b) => b.sum - a.sum);

  const lines = [`### What the bundles are made of (esbuild metafile, minified output bytes; ${all.length} bundles, ${kb(totalBytes)} in all)`, ''];
  lines.push(
    markdownTable(
      ['package or folder', ' in bundles', ' median bytes per bundle', ' max', ' share of all bundle bytes'],
      groups.slice(0, 15).map((g) => [g.group, `${g.sizes.length}/${all.length}`, kb(median(g.sizes)), kb(Math.max(...g.sizes)), `${((g.sum / totalBytes) * 100).toFixed(1)} %`]),
    ),
    '',
  );
  const biggest = all.reduce((a, b) => (b.c.outputBytes > a.c.outputBytes ? b : a));
  lines.push(`### Top inputs of the largest bundle (${biggest.f.service.service}/${biggest.f.fn.name}, ${kb(biggest.c.outputBytes)})`, '');
  lines.push(
    markdownTable(
      ['input', ' bytes in output', ' share'],
      biggest.c.inputs.slice(0, 12).map((i) => [i.path.replace(/^(\.\.\/)+(.*?node_modules\/)/, 'node_modules/').replace(/^\.\.\//, ''), kb(i.bytes), `${((i.bytes / biggest.c.outputBytes) * 100).toFixed(1)} %`]),
    ),
  );
  return lines;
}

void main();
