import { collisionsBetween, crossStackByStage, DEFAULT_STAGES, packageForCheck, readStacks, validateStacks } from '../../check';
import { BUNDLE_REACH_RULES } from '../../cross-stack';
import { reachAgainstKnown } from '../../known-reach';
import { serviceFolders } from '../../package-services';
import type { PackagedStack } from '../../packaged';
import { loadSpec } from '../../spec';
import type { Finding } from '../../template';

/*
 * The deploy proof: every service packaged for real (`serverless package`, offline) for two
 * stages, and what CloudFormation would get checked against AWS's resource specification, the
 * four stacks of a stage against each other, and the two stages against each other. Packaged
 * once for the whole file (about 4.5 s a package on an idle 2-core machine, two at a time).
 */

const SERVICES = serviceFolders();
const [FIRST, SECOND] = DEFAULT_STAGES;
const spec = loadSpec();
let stacks: PackagedStack[] = [];
let crossStack = new Map<string, Finding[]>();

/** The messages, so a failure shows each finding in full. */
const messages = (findings: readonly Finding[] | undefined) => (findings ?? []).map((f) => f.message);

beforeAll(async () => {
  const { packaged, packagingMs, remove } = await packageForCheck({ services: SERVICES, stages: DEFAULT_STAGES });
  try {
    stacks = readStacks(packaged);
  } finally {
    remove();
  }
  crossStack = crossStackByStage(stacks, spec);
  process.stdout.write(`deploy check: ${packaged.length} packages (${SERVICES.length} services × ${DEFAULT_STAGES.length} stages) in ${(packagingMs / 1000).toFixed(1)} s\n`);
}, 15 * 60_000);

describe('every packaged template against the CloudFormation resource specification', () => {
  it.each(DEFAULT_STAGES.flatMap((stage) => SERVICES.map((service) => [`${service} (${stage})`])))('%s has no findings', (name) => {
    const stack = stacks.find((s) => s.name === name);
    expect(stack).toBeDefined();
    expect(messages(validateStacks([stack!], spec).get(name))).toEqual([]);
  });
});

describe.each(DEFAULT_STAGES)('the four stacks of stage %s together', (stage) => {
  it('packages all of them', () => {
    expect(stacks.filter((s) => s.stage === stage).map((s) => s.service)).toEqual(SERVICES);
  });

  it('every SSM parameter, table, index and topic named is created by exactly one stack, and every grant is used', () => {
    expect(messages(crossStack.get(stage)?.filter((f) => !BUNDLE_REACH_RULES.has(f.rule)))).toEqual([]);
  });

  it("everything a function's bundled code can read (parameters, tables, indexes, topics) is granted to its role, but for the known list (known-reach.json), which is exact", () => {
    expect(reachAgainstKnown(stage, crossStack.get(stage))).toEqual({ added: [], gone: [] });
  });
});

describe(`stage ${FIRST} and stage ${SECOND} in one account and region`, () => {
  it('create no account-unique name twice (tables, topics, parameters, log groups, functions, roles, exports)', () => {
    expect(messages(collisionsBetween(stacks, FIRST, SECOND, spec))).toEqual([]);
  });
});
