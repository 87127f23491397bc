import { loadSpec } from '../../spec';
import type { Finding, Template } from '../../template';
import { validateTemplate } from '../../validate-template';
import { validTemplate } from '../fixtures';

// One load of AWS's specification for the file (about a second).
const spec = loadSpec();

/** The valid fixture with one change. */
function broken(change: (t: Template & { Resources: Record<string, any> }) => void): Finding[] {
  const template = validTemplate() as Template & { Resources: Record<string, any> };
  change(template);
  return validateTemplate('fixture (dev)', template, spec);
}

const rules = (findings: Finding[]) => findings.map((f) => f.rule);

describe('validateTemplate', () => {
  it('accepts a valid template (intrinsics where values go, Fn::If with AWS::NoValue, exports)', () => {
    expect(validateTemplate('fixture (dev)', validTemplate(), spec)).toEqual([]);
  });

  it('names the template, the logical id and the property path in every message', () => {
    const [f] = broken((t) => (t.Resources.ThingsTable.Properties.TableNmae = 'x'));
    expect(f).toMatchObject({ rule: 'unknown-property', template: 'fixture (dev)', logicalId: 'ThingsTable', path: 'Properties.TableNmae' });
    expect(f.message).toBe('fixture (dev) ThingsTable Properties.TableNmae: AWS::DynamoDB::Table: unknown property "TableNmae" (did you mean "TableName"?)');
  });

  it('finds a misspelt property inside a nested property type', () => {
    const findings = broken((t) => (t.Resources.ThingsTable.Properties.KeySchema[0] = { AttributeName: 'id', KeyTyp: 'HASH' }));
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual(['unknown-property Properties.KeySchema[0].KeyTyp', 'missing-required Properties.KeySchema[0].KeyType']);
  });

  it('finds a missing required property', () => {
    const findings = broken((t) => delete t.Resources.ThingsTable.Properties.KeySchema);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('ThingsTable Properties.KeySchema: AWS::DynamoDB::Table: required property "KeySchema" is missing');
  });

  it('finds a Fn::GetAtt of an attribute the resource type does not have', () => {
    const findings = broken((t) => (t.Resources.Fn.Properties.Role = { 'Fn::GetAtt': ['FnRole', 'Arnn'] }));
    expect(rules(findings)).toEqual(['unknown-attribute']);
    expect(findings[0].message).toBe('fixture (dev) Fn Properties.Role: Fn::GetAtt FnRole.Arnn: AWS::IAM::Role has no attribute "Arnn" (did you mean "Arn"?)');
  });

  it('finds an unknown attribute in the Fn::Sub short form and in an output', () => {
    const findings = broken((t) => {
      t.Resources.FnLogGroup.Properties.LogGroupName = { 'Fn::Sub': '/aws/lambda/${Fn.Name}' };
      t.Outputs!.ThingsTableArn = { Value: { 'Fn::GetAtt': 'ThingsTable.StreamArm' } };
    });
    expect(findings.map((f) => `${f.rule} ${f.logicalId} ${f.path}`)).toEqual(['unknown-attribute FnLogGroup Properties.LogGroupName', 'unknown-attribute ThingsTableArn Value']);
  });

  it('finds a Ref, a Fn::Sub variable and a Fn::GetAtt that name nothing', () => {
    const findings = broken((t) => {
      t.Resources.ThingsTableParameter.Properties.Value = { Ref: 'ThingTable' };
      t.Resources.FnLogGroup.Properties.LogGroupName = { 'Fn::Sub': '/aws/lambda/${Stag}-${AWS::Region}' };
      t.Resources.Fn.Properties.Role = { 'Fn::GetAtt': ['Stage', 'Arn'] };
    });
    expect(findings.map((f) => f.message)).toEqual([
      'fixture (dev) ThingsTableParameter Properties.Value: Ref "ThingTable" names no resource, parameter or pseudo parameter of this template',
      'fixture (dev) FnLogGroup Properties.LogGroupName: Fn::Sub ${Stag} names no resource, parameter or pseudo parameter of this template',
      'fixture (dev) Fn Properties.Role: Fn::GetAtt Stage.Arn: "Stage" is a parameter, not a resource',
    ]);
  });

  it('finds a DependsOn and a condition that name nothing', () => {
    const findings = broken((t) => {
      t.Resources.Fn.DependsOn = ['FnRole', 'FnLogGroupp'];
      t.Resources.ThingsTopic.Condition = 'IsProduction';
    });
    expect(findings.map((f) => `${f.rule} ${f.logicalId} ${f.path}`)).toEqual(['unresolved-condition ThingsTopic Condition', 'unresolved-dependson Fn DependsOn[1]']);
  });

  it('finds a string where a list is required, and Fn::Join (a string) where a list is required', () => {
    const findings = broken((t) => {
      t.Resources.Fn.Properties.Architectures = 'arm64';
      t.Resources.ThingsTable.Properties.AttributeDefinitions = { 'Fn::Join': [',', ['id', 'S']] };
    });
    expect(findings.map((f) => f.message)).toEqual([
      'fixture (dev) ThingsTable Properties.AttributeDefinitions: AWS::DynamoDB::Table: expects List<AttributeDefinition>, got Fn::Join (which gives a single value)',
      'fixture (dev) Fn Properties.Architectures: AWS::Lambda::Function: expects List<String>, got the string "arm64"',
    ]);
  });

  it('finds wrong shapes inside Fn::If branches, a list where a string goes, and a bad boolean', () => {
    const findings = broken((t) => {
      t.Resources.Fn.Properties.VpcConfig = { 'Fn::If': ['IsProd', { SubnetIds: 'subnet-1' }, { Ref: 'AWS::NoValue' }] };
      t.Resources.Fn.Properties.Handler = { 'Fn::GetAZs': '' };
      t.Resources.ThingsTable.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled = 'yes';
    });
    expect(findings.map((f) => `${f.rule} ${f.logicalId} ${f.path}`).sort()).toEqual([
      'wrong-shape Fn Properties.Handler',
      'wrong-shape Fn Properties.VpcConfig.Fn::If[1].SubnetIds',
      'wrong-shape ThingsTable Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled',
    ]);
  });

  it('finds a value the specification does not allow', () => {
    const findings = broken((t) => (t.Resources.ThingsTableParameter.Properties.Type = 'SecureString'));
    expect(findings[0].message).toBe('fixture (dev) ThingsTableParameter Properties.Type: AWS::SSM::Parameter: "SecureString" is not one of "String", "StringList"');
  });

  it('finds an unknown resource type, a misspelt resource attribute and a bad DeletionPolicy', () => {
    const findings = broken((t) => {
      t.Resources.ThingsTopic.Type = 'AWS::SNS::Topics';
      t.Resources.ThingsTable.DeletionPolicy = 'Keep';
      t.Resources.FnLogGroup.Propertes = t.Resources.FnLogGroup.Properties;
    });
    expect(findings.map((f) => f.message)).toEqual([
      'fixture (dev) ThingsTable DeletionPolicy: "Keep" is not one of Delete, Retain, RetainExceptOnCreate, Snapshot',
      'fixture (dev) ThingsTopic Type: "AWS::SNS::Topics" is not a CloudFormation resource type (did you mean "AWS::SNS::Topic"?)',
      'fixture (dev) FnLogGroup Propertes: "Propertes" is not a resource attribute (did you mean "Properties"?)',
    ]);
  });

  it('finds an IAM action not of the form service:Action', () => {
    const findings = broken((t) => t.Resources.FnRole.Properties.Policies[0].PolicyDocument.Statement[1].Action.push('GetItem', 'dynamodb GetItem'));
    expect(findings.map((f) => f.message)).toEqual([
      'fixture (dev) FnRole Properties.Policies[0].PolicyDocument.Statement[1].Action[2]: "GetItem" is not an IAM action of the form service:Action (e.g. dynamodb:GetItem)',
      'fixture (dev) FnRole Properties.Policies[0].PolicyDocument.Statement[1].Action[3]: "dynamodb GetItem" is not an IAM action of the form service:Action (e.g. dynamodb:GetItem)',
    ]);
  });

  it("finds Resource '*' for an action that can be scoped, in a role and in an AWS::IAM::Policy; accepts the allow-listed ones", () => {
    const findings = broken((t) => {
      t.Resources.FnRole.Properties.Policies[0].PolicyDocument.Statement.push({ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'dynamodb:Query'], Resource: ['*'] });
      t.Resources.ExtraPolicy = {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'extra', Roles: [{ Ref: 'FnRole' }], PolicyDocument: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } } },
      };
    });
    expect(findings.map((f) => f.message)).toEqual([
      'fixture (dev) FnRole Properties.Policies[0].PolicyDocument.Statement[3].Resource[0]: Resource "*" for dynamodb:Query, which is not on the list of actions that cannot be scoped to a resource (RESOURCE_WILDCARD_ACTIONS): name its resources',
      'fixture (dev) ExtraPolicy Properties.PolicyDocument.Statement.Resource: Resource "*" for s3:*, which is not on the list of actions that cannot be scoped to a resource (RESOURCE_WILDCARD_ACTIONS): name its resources',
    ]);
  });

  it('finds Action "*", NotAction and NotResource in an Allow', () => {
    const findings = broken((t) =>
      t.Resources.FnRole.Properties.Policies[0].PolicyDocument.Statement.push(
        { Effect: 'Allow', Action: '*', Resource: { 'Fn::GetAtt': ['ThingsTable', 'Arn'] } },
        { Effect: 'Allow', NotAction: 'iam:*', Resource: { 'Fn::GetAtt': ['ThingsTable', 'Arn'] } },
        { Effect: 'Allow', Action: 'dynamodb:GetItem', NotResource: { 'Fn::GetAtt': ['ThingsTable', 'Arn'] } },
      ),
    );
    expect(rules(findings)).toEqual(['iam-action-wildcard', 'iam-not-action', 'iam-not-resource']);
  });

  it('reads a template that is not one without throwing', () => {
    expect(rules(validateTemplate('x', { Resources: [] }, spec))).toEqual(['not-a-template']);
  });
});
