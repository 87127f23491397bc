import { loadSpec } from '../../spec';
import { physicalNames, stageCollisions } from '../../stage-collisions';
import { consistentStage, validTemplate } from '../fixtures';

const spec = loadSpec();

describe('stageCollisions', () => {
  it('reports every account-unique name two stages would both create, naming both sides', () => {
    const findings = stageCollisions(consistentStage({ stage: 'dev' }), consistentStage({ stage: 'prod' }), spec);
    expect(findings.map((f) => f.message)).toEqual([
      'owner (dev) ThingsTable Properties.TableName: DynamoDB table "Things" is also created by owner (prod) ThingsTable Properties.TableName: the two cannot be deployed in one account and region',
      'owner (dev) ThingsTableParameter Properties.Name: SSM parameter "/THINGS_TABLE" is also created by owner (prod) ThingsTableParameter Properties.Name: the two cannot be deployed in one account and region',
      'owner (dev) Topic Properties.TopicName: SNS topic "things" is also created by owner (prod) Topic Properties.TopicName: the two cannot be deployed in one account and region',
      'owner (dev) TopicParameter Properties.Name: SSM parameter "/TOPIC_ARN" is also created by owner (prod) TopicParameter Properties.Name: the two cannot be deployed in one account and region',
    ]);
  });

  it('finds none when each stage qualifies its names (function and role names carry the stage already)', () => {
    const prod = consistentStage({ stage: 'prod', suffix: '-prod', ssmPrefix: '/prod' });
    expect(stageCollisions(consistentStage({ stage: 'dev' }), prod, spec)).toEqual([]);
  });

  it('resolves names made with Fn::Sub, Fn::Join and parameters; leaves out names only the deploy knows', () => {
    const template = validTemplate();
    const names = physicalNames({ name: 'fixture (dev)', stackName: 'fixture-dev', template }, spec).map((n) => `${n.kind}: ${n.name}`);
    expect(names).toEqual([
      'DynamoDB table: Things',
      'SSM parameter: /THINGS_TABLE',
      'SNS topic: things',
      'IAM role: things-dev-{region}-fnRole',
      'log group: /aws/lambda/things-dev-fn',
      'Lambda function: things-dev-fn',
      'export: fixture-dev-ThingsTableArn',
    ]);
    (template.Resources.ThingsTopic as { Properties: Record<string, unknown> }).Properties.TopicName = { 'Fn::Sub': '${ThingsTable.StreamArn}-topic' };
    expect(physicalNames({ name: 'fixture (dev)', stackName: 'fixture-dev', template }, spec).map((n) => n.kind)).not.toContain('SNS topic');
  });

  it('compares exports: the stack name keeps them apart, a literal export name collides', () => {
    const dev = validTemplate();
    const prod = validTemplate();
    prod.Parameters = { Stage: { Type: 'String', Default: 'prod' } };
    expect(stageCollisions([{ name: 'a (dev)', stackName: 'a-dev', template: dev }], [{ name: 'a (prod)', stackName: 'a-prod', template: prod }], spec).map((f) => f.path)).toEqual([
      'Properties.TableName',
      'Properties.Name',
      'Properties.TopicName',
    ]);
    dev.Outputs = prod.Outputs = { Arn: { Value: 'x', Export: { Name: 'things-table-arn' } } };
    expect(stageCollisions([{ name: 'a (dev)', stackName: 'a-dev', template: dev }], [{ name: 'a (prod)', stackName: 'a-prod', template: prod }], spec).map((f) => f.path)).toContain('Export.Name');
  });
});
