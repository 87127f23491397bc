/**
 * `npm run package:all`: `serverless package` for every service folder that exists, from a clean
 * slate (stale files were seen inside zips when `.esbuild/` survived), offline, one after another.
 *   npm run package:all                          every service
 *   npm run package:all -- authService           only the ones named
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandLine } from './lib/args';
import { ROOT, SERVERLESS_BIN, SERVICE_DIRS } from './lib/paths';

export interface PackagedFunction {
  name: string;
  /** Absolute path of the function's zip. */
  artifact: string;
  /** The handler as serverless.yml names it, e.g. `src/handlers/signIn.handler`. */
  handler: string;
  /** Environment variables from the packaged CloudFormation template (intrinsics as placeholders). */
  environment: Record<string, string>;
  memorySize: number;
  functionName: string;
}

export interface PackagedService {
  service: string;
  dir: string;
  region: string;
  durationMs: number;
  functions: PackagedFunction[];
}

export class PackageError extends Error {}

export interface PackageOptions {
  /** Service folders to package (default: every one of SERVICE_DIRS that has a serverless.yml). */
  services?: readonly string[];
  log?: (line: string) => void;
}

/** Service folders (of the four) that exist in this checkout. */
export function existingServices(): string[] {
  return SERVICE_DIRS.filter((s) => fs.existsSync(path.join(ROOT, s, 'serverless.yml')));
}

/**
 * Packages each service in turn and returns what it produced. Throws a PackageError naming the
 * service (with the tail of its output) when one fails; the ones before it stay packaged.
 */
export async function packageServices(options: PackageOptions = {}): Promise<PackagedService[]> {
  const log = options.log ?? (() => undefined);
  const services = options.services?.length ? [...options.services] : existingServices();
  for (const service of services) {
    if (!fs.existsSync(path.join(ROOT, service, 'serverless.yml'))) throw new PackageError(`${service}: no ${service}/serverless.yml in ${ROOT}`);
  }
  const out: PackagedService[] = [];
  for (const service of services) {
    const dir = path.join(ROOT, service);
    for (const stale of ['.esbuild', '.serverless']) fs.rmSync(path.join(dir, stale), { recursive: true, force: true });
    log(`packaging ${service} …`);
    const started = Date.now();
    const run = await runServerlessPackage(dir);
    const durationMs = Date.now() - started;
    if (run.code !== 0) {
      throw new PackageError(`serverless package FAILED for ${service} (exit ${run.code}) after ${(durationMs / 1000).toFixed(1)} s:\n${run.output.slice(-40).join('\n')}`);
    }
    const { region, functions } = packagedFunctions(dir);
    const missing = functions.filter((f) => !fs.existsSync(f.artifact));
    if (functions.length === 0 || missing.length) {
      throw new PackageError(`serverless package for ${service} produced no zip for ${missing.map((f) => f.name).join(', ') || 'any function'}`);
    }
    out.push({ service, dir, region, durationMs, functions });
    log(`packaged ${service}: ${functions.length} functions in ${(durationMs / 1000).toFixed(1)} s`);
  }
  return out;
}

function runServerlessPackage(dir: string): Promise<{ code: number; output: string[] }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    // Packaging needs no AWS; this keeps the SDK from probing the instance metadata service.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  delete env.NODE_OPTIONS;
  // Packaging builds in `.esbuild`, the folder just cleaned; a local stack's own folder is not ours to touch.
  delete env.ESBUILD_WORK_FOLDER;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVERLESS_BIN, 'package'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter((l) => l.trim()));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) => resolve({ code: -1, output: [...output, String(err)] }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/**
 * What `serverless package` wrote, read back from its own files: serverless-state.json knows each
 * function's artifact, the CloudFormation template knows the environment Lambda will set.
 */
function packagedFunctions(dir: string): { region: string; functions: PackagedFunction[] } {
  const state = readJson(path.join(dir, '.serverless/serverless-state.json')) as {
    service: { provider: { region: string }; functions: Record<string, { handler: string; name: string; package?: { artifact?: string } }> };
  };
  const template = readJson(path.join(dir, '.serverless/cloudformation-template-update-stack.json')) as {
    Resources: Record<string, { Type: string; Properties: { FunctionName?: string; MemorySize?: number; Environment?: { Variables?: Record<string, unknown> } } }>;
  };
  const lambdas = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  const functions = Object.entries(state.service.functions).map(([name, fn]) => {
    const resource = lambdas.find((r) => r.Properties.FunctionName === fn.name);
    const variables = resource?.Properties.Environment?.Variables ?? {};
    return {
      name,
      functionName: fn.name,
      handler: fn.handler,
      artifact: path.resolve(dir, fn.package?.artifact ?? `.serverless/${name}.zip`),
      memorySize: resource?.Properties.MemorySize ?? 1024,
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : `<${JSON.stringify(v)}>`])),
    };
  });
  return { region: state.service.provider.region, functions };
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

async function main(): Promise<void> {
  const { positionals: services } = commandLine('npm run package:all [-- service …]', {});
  const started = Date.now();
  try {
    const packaged = await packageServices({ services, log: (l) => console.log(l) });
    const skipped = SERVICE_DIRS.filter((s) => !services.length && !packaged.some((p) => p.service === s));
    console.log('\nservice           functions  zips total   time');
    for (const p of packaged) {
      const bytes = p.functions.reduce((sum, f) => sum + fs.statSync(f.artifact).size, 0);
      console.log(`${p.service.padEnd(17)} ${String(p.functions.length).padStart(9)}  ${`${(bytes / 1024).toFixed(0)} KB`.padStart(10)}  ${(p.durationMs / 1000).toFixed(1).padStart(5)} s`);
    }
    if (skipped.length) console.log(`not present (skipped): ${skipped.join(', ')}`);
    console.log(`\npackage:all OK — ${packaged.length} service(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`\npackage:all FAILED: ${err instanceof PackageError ? err.message : (err as Error).stack}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
