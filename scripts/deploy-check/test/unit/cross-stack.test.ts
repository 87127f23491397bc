import { checkCrossStack, OPERATOR_PARAMETERS } from '../../cross-stack';
import { loadSpec } from '../../spec';
import type { Finding } from '../../template';
import { arn, bundleReading, consistentStage, ownerTemplate, PUBLISH, readerStatements, stack, type Statement } from '../fixtures';

const spec = loadSpec();
const check = (stacks: Parameters<typeof checkCrossStack>[0]) => checkCrossStack(stacks, spec);
const summary = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.template} ${f.logicalId} ${f.path}`);

/** The reader's statements with one changed. */
function statements(change: (s: Statement[]) => void): Statement[] {
  const list = readerStatements();
  change(list);
  return list;
}

describe('checkCrossStack', () => {
  it('accepts stacks whose reads are created once, granted, and whose grants name what exists', () => {
    expect(check(consistentStage())).toEqual([]);
  });

  it('follows SSM_PREFIX: a stage whose parameters live under /prod and whose names end in -prod', () => {
    expect(check(consistentStage({ suffix: '-prod', ssmPrefix: '/prod', stage: 'prod' }))).toEqual([]);
  });

  it('documents every operator parameter with a reason', () => {
    for (const [name, reason] of Object.entries(OPERATOR_PARAMETERS)) {
      expect(name).toMatch(/^\/[A-Z_]+$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  it('finds a parameter the code reads that no stack creates (and the operator does not own)', () => {
    const findings = check(consistentStage({ code: bundleReading(['thingsTable', 'topicArn', 'metrics', 'unused'], PUBLISH) }));
    expect(summary(findings)).toEqual([
      'parameter-not-created reader (dev) ReadLambdaFunction Properties.Code',
      'parameter-not-granted reader (dev) ReadIamRoleLambdaExecution Properties.Policies',
    ]);
    expect(findings[0].message).toBe(
      'reader (dev) ReadLambdaFunction Properties.Code: function read: its code reads SSM parameter /NEVER_READ, which no stack of this stage creates and OPERATOR_PARAMETERS does not list',
    );
  });

  it('finds a parameter the code reads but the role may not read', () => {
    const findings = check(consistentStage({ statements: statements((s) => (s[0].Resource = [arn.ssm('/THINGS_TABLE'), arn.ssm('/ENABLE_METRICS')])) }));
    expect(findings.map((f) => f.message)).toEqual([
      'reader (dev) ReadIamRoleLambdaExecution Properties.Policies: function read: its code reads SSM parameter /TOPIC_ARN, but role ReadIamRoleLambdaExecution does not allow ssm:GetParameters on arn:aws:ssm:{region}:{account}:parameter/TOPIC_ARN',
    ]);
  });

  it('needs the action the code sends: GetParameter does not allow GetParameters', () => {
    const findings = check(consistentStage({ statements: statements((s) => (s[0].Action = 'ssm:GetParameter')) }));
    expect(findings.map((f) => f.rule)).toEqual(['parameter-not-granted', 'parameter-not-granted', 'parameter-not-granted']);
  });

  it('finds a granted parameter no stack creates (a misspelt name), and one the code never refers to', () => {
    const findings = check(
      consistentStage({
        code: bundleReading(['thingsTable', 'metrics']),
        statements: statements((s) => (s[0].Resource = [arn.ssm('/THINGS_TABLE'), arn.ssm('/TOPIC_ARN'), arn.ssm('/ENABLE_METRICS'), arn.ssm('/THINGS_TABEL')])),
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'reader (dev) ReadIamRoleLambdaExecution Properties.Policies[0].PolicyDocument.Statement[0].Resource[1]: function read: role ReadIamRoleLambdaExecution allows reading SSM parameter /TOPIC_ARN, but its code never refers to it',
      'reader (dev) ReadIamRoleLambdaExecution Properties.Policies[0].PolicyDocument.Statement[0].Resource[3]: function read: role ReadIamRoleLambdaExecution allows reading SSM parameter /THINGS_TABEL, which no stack of this stage creates and OPERATOR_PARAMETERS does not list',
    ]);
  });

  it('finds a table whose name the function reads but that its role may not use', () => {
    const findings = check(consistentStage({ statements: statements((s) => s.splice(1, 1)) }));
    expect(findings.map((f) => f.message)).toEqual([
      'reader (dev) ReadIamRoleLambdaExecution Properties.Policies: function read: uses table Things (it reads its name from /THINGS_TABLE, created by owner (dev) ThingsTableParameter), but role ReadIamRoleLambdaExecution allows no dynamodb action on arn:aws:dynamodb:{region}:{account}:table/Things or its indexes',
    ]);
  });

  it('finds an index the code names that the role may not use, and accepts it once granted', () => {
    const code = bundleReading(['thingsTable', 'topicArn', 'metrics'], `${PUBLISH}await q("byOwner");`);
    expect(summary(check(consistentStage({ code })))).toEqual(['index-not-granted reader (dev) ReadIamRoleLambdaExecution Properties.Policies']);
    const granted = statements((s) => s.push({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: arn.table('Things/index/byOwner') }));
    expect(check(consistentStage({ code, statements: granted }))).toEqual([]);
  });

  it('finds a topic the function publishes to without sns:Publish on it', () => {
    const findings = check(consistentStage({ statements: statements((s) => (s[2].Action = 'sns:Subscribe')) }));
    expect(findings.map((f) => f.rule)).toEqual(['topic-not-granted']);
    expect(findings[0].message).toContain('uses topic arn:aws:sns:{region}:{account}:things (it reads its name from /TOPIC_ARN');
  });

  it('finds grants of tables, indexes and topics no stack of the stage creates', () => {
    const findings = check(
      consistentStage({
        statements: statements((s) =>
          s.push(
            { Effect: 'Allow', Action: 'dynamodb:Query', Resource: [arn.table('Thing'), arn.table('Things/index/byOwnr')] },
            { Effect: 'Allow', Action: 'sns:Publish', Resource: arn.topic('thing') },
          ),
        ),
      }),
    );
    expect(findings.map((f) => `${f.rule}: ${f.message.slice(f.message.indexOf('function read: ') + 'function read: '.length)}`)).toEqual([
      'granted-table-missing: role ReadIamRoleLambdaExecution names table Thing (arn:aws:dynamodb:{region}:{account}:table/Thing), which no stack of this stage creates',
      'granted-index-missing: role ReadIamRoleLambdaExecution names index byOwnr of table Things, which owner (dev) ThingsTable does not define (it has: byOwner)',
      'granted-topic-missing: role ReadIamRoleLambdaExecution names topic arn:aws:sns:{region}:{account}:thing, which no stack of this stage creates',
    ]);
  });

  it('finds a parameter (or any unique name) that two stacks create', () => {
    const stacks = [...consistentStage(), stack('copy', ownerTemplate('-copy'))];
    const findings = check(stacks);
    expect(findings.map((f) => f.message)).toEqual([
      'owner (dev) ThingsTableParameter Properties.Name: SSM parameter "/THINGS_TABLE" is also created by copy (dev) ThingsTableParameter: exactly one stack may own it',
      'owner (dev) TopicParameter Properties.Name: SSM parameter "/TOPIC_ARN" is also created by copy (dev) TopicParameter: exactly one stack may own it',
    ]);
  });

  it('reads names under the prefix the function is given: a function without SSM_PREFIX misses /prod parameters', () => {
    const [owner, reader] = consistentStage({ suffix: '-prod', ssmPrefix: '/prod', stage: 'prod' });
    reader.functions[0].environment = {};
    expect(check([owner, reader]).map((f) => f.rule)).toContain('parameter-not-created');
  });

  it('counts no reads for code that sends no SSM command, and says so when a bundle is missing', () => {
    const [owner, reader] = consistentStage({ code: `${'var P={thingsTable:"/THINGS_TABLE"};'}exports.handler=async()=>P.thingsTable;` });
    expect(check([owner, reader]).map((f) => f.rule)).toEqual(['granted-parameter-unused', 'granted-parameter-unused', 'granted-parameter-unused']);
    reader.functions[0].code = undefined;
    expect(check([owner, reader]).map((f) => f.rule)).toEqual(['no-bundle']);
  });
});
