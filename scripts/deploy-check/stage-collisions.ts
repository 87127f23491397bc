import { resolveString, type ResolveContext } from './resolve';
import type { ResourceSpec } from './spec';
import { finding, isObject, propertiesOf, resourceEntries, resourceType, type Finding, type Template } from './template';

/*
 * The names a stack takes that must be unique in an account (or an account and region): table
 * and topic names, SSM parameter names, log groups, function and role names, exports. Two stacks
 * that would take the same one cannot both exist; CloudFormation finds out half-way through a
 * deploy. Used for two stages of one account (can dev and prod live side by side?) and for the
 * four stacks of one stage (does any name belong to two of them?).
 */

/** For each resource type, the property that is its account- or region-unique name. */
export const UNIQUE_NAME_PROPERTIES: Readonly<Record<string, { property: string; kind: string }>> = {
  'AWS::DynamoDB::Table': { property: 'TableName', kind: 'DynamoDB table' },
  'AWS::SNS::Topic': { property: 'TopicName', kind: 'SNS topic' },
  'AWS::SQS::Queue': { property: 'QueueName', kind: 'SQS queue' },
  'AWS::SSM::Parameter': { property: 'Name', kind: 'SSM parameter' },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', kind: 'log group' },
  'AWS::Lambda::Function': { property: 'FunctionName', kind: 'Lambda function' },
  'AWS::IAM::Role': { property: 'RoleName', kind: 'IAM role' },
  'AWS::IAM::ManagedPolicy': { property: 'ManagedPolicyName', kind: 'IAM managed policy' },
  'AWS::IAM::User': { property: 'UserName', kind: 'IAM user' },
  'AWS::IAM::Group': { property: 'GroupName', kind: 'IAM group' },
  'AWS::IAM::InstanceProfile': { property: 'InstanceProfileName', kind: 'IAM instance profile' },
  'AWS::S3::Bucket': { property: 'BucketName', kind: 'S3 bucket' },
  'AWS::Events::Rule': { property: 'Name', kind: 'EventBridge rule' },
  'AWS::Events::EventBus': { property: 'Name', kind: 'EventBridge bus' },
  'AWS::ElastiCache::ReplicationGroup': { property: 'ReplicationGroupId', kind: 'ElastiCache replication group' },
  'AWS::ElastiCache::SubnetGroup': { property: 'CacheSubnetGroupName', kind: 'ElastiCache subnet group' },
  'AWS::ElastiCache::CacheCluster': { property: 'ClusterName', kind: 'ElastiCache cluster' },
  'AWS::Cognito::UserPoolDomain': { property: 'Domain', kind: 'Cognito domain' },
  'AWS::ApiGateway::DomainName': { property: 'DomainName', kind: 'API Gateway domain' },
  'AWS::ApiGatewayV2::DomainName': { property: 'DomainName', kind: 'API Gateway domain' },
  'AWS::KMS::Alias': { property: 'AliasName', kind: 'KMS alias' },
  'AWS::SecretsManager::Secret': { property: 'Name', kind: 'secret' },
  'AWS::StepFunctions::StateMachine': { property: 'StateMachineName', kind: 'state machine' },
  'AWS::Kinesis::Stream': { property: 'Name', kind: 'Kinesis stream' },
  'AWS::CloudWatch::Alarm': { property: 'AlarmName', kind: 'CloudWatch alarm' },
  'AWS::CloudWatch::Dashboard': { property: 'DashboardName', kind: 'CloudWatch dashboard' },
  'AWS::ECR::Repository': { property: 'RepositoryName', kind: 'ECR repository' },
};

export interface PhysicalName {
  kind: string;
  name: string;
  template: string;
  logicalId: string;
  path: string;
}

export interface NamedStack {
  /** `authService (dev)` */
  name: string;
  stackName: string;
  template: Template;
}

/**
 * The unique names a stack takes. A name that depends on something only the deploy knows
 * (a generated id) is left out: it is the stack's own. Region and account are placeholders, so
 * names compare as they would in one account and region.
 */
export function physicalNames(stack: NamedStack, spec: ResourceSpec): PhysicalName[] {
  const ctx: ResolveContext = { template: stack.template, spec, stackName: stack.stackName };
  const names: PhysicalName[] = [];
  for (const [logicalId, resource] of resourceEntries(stack.template)) {
    const unique = UNIQUE_NAME_PROPERTIES[resourceType(resource) ?? ''];
    const value = unique ? propertiesOf(resource)[unique.property] : undefined;
    if (!unique || value === undefined) continue;
    const name = resolveString(value, ctx);
    if (isKnownBeforeDeploy(name)) names.push({ kind: unique.kind, name, template: stack.name, logicalId, path: `Properties.${unique.property}` });
  }
  for (const [outputId, output] of Object.entries(stack.template.Outputs ?? {})) {
    if (!isObject(output) || !isObject(output.Export) || output.Export.Name === undefined) continue;
    const name = resolveString(output.Export.Name, ctx);
    if (isKnownBeforeDeploy(name)) names.push({ kind: 'export', name, template: stack.name, logicalId: outputId, path: 'Export.Name' });
  }
  return names;
}

/** Placeholders for region and account stay (they are the same in one account); any other means "the deploy decides". */
function isKnownBeforeDeploy(name: string): boolean {
  return !/\{(?!region\}|account\})[^}]*\}/.test(name);
}

/** Names both sets of stacks (e.g. the stage dev and the stage prod) would take: each pair once. */
export function stageCollisions(first: readonly NamedStack[], second: readonly NamedStack[], spec: ResourceSpec): Finding[] {
  const taken = new Map<string, PhysicalName[]>();
  for (const name of second.flatMap((s) => physicalNames(s, spec))) {
    const key = `${name.kind}\u0000${name.name}`;
    taken.set(key, [...(taken.get(key) ?? []), name]);
  }
  return first
    .flatMap((s) => physicalNames(s, spec))
    .flatMap((mine) =>
      (taken.get(`${mine.kind}\u0000${mine.name}`) ?? []).map((theirs) =>
        finding('stage-collision', mine.template, mine.logicalId, mine.path, `${mine.kind} "${mine.name}" is also created by ${theirs.template} ${theirs.logicalId} ${theirs.path}: the two cannot be deployed in one account and region`),
      ),
    );
}

/** Names that two stacks of one deployment both take (each name once, naming every stack that takes it). */
export function sharedNames(stacks: readonly NamedStack[], spec: ResourceSpec): Finding[] {
  const byName = new Map<string, PhysicalName[]>();
  for (const name of stacks.flatMap((s) => physicalNames(s, spec))) {
    const key = `${name.kind}\u0000${name.name}`;
    byName.set(key, [...(byName.get(key) ?? []), name]);
  }
  return [...byName.values()]
    .filter((owners) => owners.length > 1)
    .map(([first, ...others]) =>
      finding('name-taken-twice', first.template, first.logicalId, first.path, `${first.kind} "${first.name}" is also created by ${others.map((o) => `${o.template} ${o.logicalId}`).join(', ')}: exactly one stack may own it`),
    );
}
