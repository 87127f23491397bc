/**
 * `npm run check:templates`: package every service for two stages (offline) and check what
 * CloudFormation would get, before anything is deployed. Prints each finding, exits 1 if any.
 *   npm run check:templates                               dev and prod, every service
 *   npm run check:templates -- --stages dev,staging       other stages (the first two are compared)
 *   npm run check:templates -- --services authService     only some services (cross-stack needs all)
 *   npm run check:templates -- --keep /tmp/pkg            keep the packaged output …
 *   npm run check:templates -- --from /tmp/pkg            … and check it again without packaging
 *   npm run check:templates -- --write-known              rewrite known-reach.json from this run (see known-reach.ts)
 */
import fs from 'node:fs';
import { ArgsError, parseCommandLine } from '../lib/args';
import { BUNDLE_REACH_RULES } from './cross-stack';
import { KNOWN_REACH_FILE, reachAgainstKnown, reachMessages, writeKnownReach } from './known-reach';
import { allFindings, runDeployCheck, type DeployCheckOptions, type DeployCheckReport } from './check';
import { PackageError, packagedIn } from './package-services';
import type { Finding } from './template';

const USAGE = 'usage: npm run check:templates [-- --stages a,b] [--services x,y] [--keep <dir> | --from <dir>] [--concurrency n] [--write-known]';

/** The options of the command line (scripts/lib/args: one parser for every script). */
function optionsFrom(values: { stages?: string; services?: string; keep?: string; from?: string; concurrency?: string }): DeployCheckOptions {
  const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean);
  const options: DeployCheckOptions = { stages: list(values.stages), services: list(values.services), outDir: values.keep };
  if (values.from !== undefined) {
    if (!fs.existsSync(values.from)) throw new ArgsError(`--from ${values.from}: no such folder`);
    options.from = packagedIn(values.from);
  }
  if (values.concurrency !== undefined) {
    options.concurrency = Number(values.concurrency);
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new ArgsError('--concurrency takes a whole number from 1');
  }
  return options;
}

function section(title: string, findings: readonly Finding[]): void {
  console.log(`\n${title}: ${findings.length === 0 ? 'no findings' : `${findings.length} finding(s)`}`);
  for (const f of findings) console.log(`  [${f.rule}] ${f.message}`);
}

function print(report: DeployCheckReport): void {
  for (const [template, findings] of report.templates) section(`template ${template}`, findings);
  for (const [stage, findings] of report.crossStack) {
    section(`cross-stack, stage ${stage} (${report.stacks.filter((s) => s.stage === stage).length} stacks)`, findings.filter((f) => !BUNDLE_REACH_RULES.has(f.rule)));
    const { added, gone } = reachAgainstKnown(stage, findings);
    console.log(`\nbundle reach, stage ${stage}: ${reachMessages(findings).length} known (scripts/deploy-check/known-reach.json), ${added.length} new, ${gone.length} gone from the list`);
    for (const m of added) console.log(`  [new] ${m}`);
    for (const m of gone) console.log(`  [gone: refresh the list with --write-known] ${m}`);
  }
  if (report.collisions) section(`names both stage ${report.collisions.stages[0]} and stage ${report.collisions.stages[1]} would create`, report.collisions.findings);
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  let options: DeployCheckOptions;
  let writeKnown = false;
  try {
    const { values } = parseCommandLine({
      stages: { type: 'string' },
      services: { type: 'string' },
      keep: { type: 'string' },
      from: { type: 'string' },
      concurrency: { type: 'string' },
      'write-known': { type: 'boolean' },
    });
    options = optionsFrom(values);
    writeKnown = values['write-known'] ?? false;
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    const report = await runDeployCheck({ ...options, log: (line) => console.log(line) });
    print(report);
    if (writeKnown) {
      writeKnownReach(report.crossStack);
      console.log(`\nwrote ${KNOWN_REACH_FILE}`);
    }
    const findings = allFindings(report).filter((f) => !BUNDLE_REACH_RULES.has(f.rule));
    const reachChanges = [...report.crossStack].reduce((n, [stage, f]) => n + Object.values(reachAgainstKnown(stage, f)).flat().length, 0);
    const timing = `packaging ${(report.packagingMs / 1000).toFixed(1)} s, checks ${(report.checkingMs / 1000).toFixed(1)} s`;
    const failures = findings.length + (writeKnown ? 0 : reachChanges);
    console.log(`\ncheck:templates ${failures === 0 ? 'OK' : `FAILED: ${findings.length} finding(s), ${writeKnown ? 0 : reachChanges} change(s) to the known bundle reach`} — ${report.stacks.length} template(s); ${timing}`);
    if (options.outDir) console.log(`packaged output kept in ${options.outDir} (check it again with --from ${options.outDir})`);
    if (failures) process.exitCode = 1;
  } catch (err) {
    console.error(`\ncheck:templates FAILED: ${err instanceof PackageError ? err.message : (err as Error).stack}`);
    process.exitCode = 1;
  }
}

void main();
