import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE_REACH_RULES } from './cross-stack';
import type { Finding } from './template';

/*
 * The bundle-reach findings known today, written down rather than granted away. Each one is code
 * that a function's bundle carries but (as far as it was traced) never runs for that function: a
 * composition root shared by all of a service's handlers, a table adapter whose other methods name
 * an index. Granting them would widen every role for code that does not run; the fix is per-function
 * composition (README, "What the deployment is made of"), which removes them from this list.
 *
 * The list is a ratchet both ways: a finding not in it fails (new code reaching something its
 * role does not grant), and so does an entry that no longer occurs (the list must shrink with the
 * code). Refresh it with `npm run check:templates -- --write-known` after such a change.
 */
export const KNOWN_REACH_FILE = path.join(__dirname, 'known-reach.json');

/** A finding as the list keeps it: its message, with the stage's names written the default stage's way. */
export interface KnownReach {
  /** stage → messages */
  [stage: string]: string[];
}

export const reachMessages = (findings: readonly Finding[] | undefined): string[] =>
  (findings ?? []).filter((f) => BUNDLE_REACH_RULES.has(f.rule)).map((f) => f.message).sort();

export function readKnownReach(): KnownReach {
  return fs.existsSync(KNOWN_REACH_FILE) ? (JSON.parse(fs.readFileSync(KNOWN_REACH_FILE, 'utf8')) as KnownReach) : {};
}

export function writeKnownReach(byStage: ReadonlyMap<string, readonly Finding[]>): void {
  const known: KnownReach = Object.fromEntries([...byStage].map(([stage, findings]) => [stage, reachMessages(findings)]));
  fs.writeFileSync(KNOWN_REACH_FILE, `${JSON.stringify(known, null, 2)}\n`);
}

/** What changed against the list: findings it does not have, and entries that no longer occur. */
export function reachAgainstKnown(stage: string, findings: readonly Finding[] | undefined, known: KnownReach = readKnownReach()): { added: string[]; gone: string[] } {
  const actual = reachMessages(findings);
  const listed = new Set(known[stage] ?? []);
  return { added: actual.filter((m) => !listed.has(m)), gone: [...listed].filter((m) => !actual.includes(m)).sort() };
}
