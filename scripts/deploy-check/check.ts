import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BundleFacts } from './bundle';
import { checkCrossStack } from './cross-stack';
import { packageServices, serviceFolders, type PackagedDir, type PackageOptions } from './package-services';
import { readPackagedStack, type PackagedStack } from './packaged';
import { loadSpec, type ResourceSpec } from './spec';
import { stageCollisions } from './stage-collisions';
import type { Finding } from './template';
import { validateTemplate } from './validate-template';

/*
 * The whole deploy check, for the CLI and the integration test alike: package (or take packaged
 * output), then the three checks — each template, the stacks of each stage together, and two
 * stages against each other.
 */

export interface DeployCheckReport {
  stacks: PackagedStack[];
  /** Per template (`authService (dev)`). */
  templates: Map<string, Finding[]>;
  /** Per stage. */
  crossStack: Map<string, Finding[]>;
  /** The first two stages against each other (undefined with one stage). */
  collisions?: { stages: [string, string]; findings: Finding[] };
  packagingMs: number;
  checkingMs: number;
}

export interface DeployCheckOptions extends Partial<Pick<PackageOptions, 'concurrency' | 'outDir' | 'log'>> {
  services?: readonly string[];
  stages?: readonly string[];
  /** Packaged output to check instead of packaging (`<dir>/<stage>/<service>`, as packageServices writes it). */
  from?: readonly PackagedDir[];
}

export const DEFAULT_STAGES = ['dev', 'prod'] as const;

/** Packages for the check; without an outDir, into a temporary folder that `remove()` deletes. */
export async function packageForCheck(options: DeployCheckOptions = {}): Promise<{ packaged: PackagedDir[]; packagingMs: number; remove: () => void }> {
  const started = Date.now();
  const outDir = options.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-check-'));
  const remove = () => {
    if (!options.outDir) fs.rmSync(outDir, { recursive: true, force: true });
  };
  try {
    const packaged = await packageServices({
      services: options.services?.length ? options.services : serviceFolders(),
      stages: options.stages?.length ? options.stages : DEFAULT_STAGES,
      concurrency: options.concurrency,
      outDir,
      log: options.log,
    });
    return { packaged, packagingMs: Date.now() - started, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

export function readStacks(packaged: readonly PackagedDir[]): PackagedStack[] {
  return packaged.map((p) => readPackagedStack(p.dir, p.service, p.stage)).sort((a, b) => a.name.localeCompare(b.name));
}

export function validateStacks(stacks: readonly PackagedStack[], spec: ResourceSpec = loadSpec()): Map<string, Finding[]> {
  return new Map(stacks.map((s) => [s.name, validateTemplate(s.name, s.template, spec)]));
}

export function crossStackByStage(stacks: readonly PackagedStack[], spec: ResourceSpec = loadSpec(), bundleCache = new Map<string, BundleFacts>()): Map<string, Finding[]> {
  const stages = [...new Set(stacks.map((s) => s.stage))];
  return new Map(stages.map((stage) => [stage, checkCrossStack(stacks.filter((s) => s.stage === stage), spec, bundleCache)]));
}

export function collisionsBetween(stacks: readonly PackagedStack[], first: string, second: string, spec: ResourceSpec = loadSpec()): Finding[] {
  return stageCollisions(
    stacks.filter((s) => s.stage === first),
    stacks.filter((s) => s.stage === second),
    spec,
  );
}

export async function runDeployCheck(options: DeployCheckOptions = {}): Promise<DeployCheckReport> {
  const { packaged, packagingMs, remove } = options.from ? { packaged: [...options.from], packagingMs: 0, remove: () => undefined } : await packageForCheck(options);
  const started = Date.now();
  const spec = loadSpec();
  let stacks: PackagedStack[];
  try {
    stacks = readStacks(packaged); // templates and bundles are in memory from here on
  } finally {
    remove();
  }
  const stages = options.stages?.length ? [...options.stages] : [...new Set(packaged.map((p) => p.stage))];
  const report: DeployCheckReport = {
    stacks,
    templates: validateStacks(stacks, spec),
    crossStack: crossStackByStage(stacks, spec),
    packagingMs,
    checkingMs: 0,
  };
  if (stages.length >= 2) report.collisions = { stages: [stages[0], stages[1]], findings: collisionsBetween(stacks, stages[0], stages[1], spec) };
  report.checkingMs = Date.now() - started;
  return report;
}

export function allFindings(report: DeployCheckReport): Finding[] {
  return [...[...report.templates.values()].flat(), ...[...report.crossStack.values()].flat(), ...(report.collisions?.findings ?? [])];
}
