import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * `npm run lint` enforces the dependency rule with dependency-cruiser and the project's own
 * .dependency-cruiser.cjs. Here the same config runs over a fixture service that breaks each rule
 * once on purpose (and obeys it elsewhere): every break is found, nothing else is.
 */
const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/architecture/fixtures');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

function cruise(): Violation[] {
  const out = spawnSync(path.join(ROOT, 'node_modules/.bin/depcruise'), ['chatService', '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
    cwd: FIXTURES,
    encoding: 'utf8',
  });
  if (!out.stdout) throw new Error(`depcruise printed nothing: ${out.stderr}`);
  return (JSON.parse(out.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('the dependency rule (npm run lint)', () => {
  let violations: { rule: string; from: string; to: string }[];
  beforeAll(() => {
    violations = cruise().map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  }, 60_000);

  it('fails a handler that imports an adapter', () => {
    expect(violations).toContainEqual({ rule: 'handler-not-to-adapter', from: 'chatService/src/handlers/leaky.ts', to: 'chatService/src/adapters/message-table.ts' });
  });

  it('fails a use case that imports the AWS SDK', () => {
    expect(violations).toContainEqual(
      expect.objectContaining({ rule: 'use-case-not-to-infrastructure', from: 'chatService/src/read-receipts.ts', to: expect.stringMatching(/node_modules\/@aws-sdk\/client-dynamodb\//) }),
    );
  });

  it('fails an import cycle', () => {
    const cycles = violations.filter((v) => v.rule === 'no-circular').map((v) => [v.from, v.to].sort());
    expect(cycles).toEqual([['chatService/src/ping.ts', 'chatService/src/pong.ts']]);
  });

  it('lets adapters use the SDK, the composition root build adapters and handlers use the composition root', () => {
    expect(violations.map((v) => v.rule).sort()).toEqual(['handler-not-to-adapter', 'no-circular', 'use-case-not-to-infrastructure']);
  });
});
