import type { PackagedFunction, PackagedStack } from '../packaged';
import type { Template } from '../template';

/*
 * Small templates in the shape `serverless package` writes them, valid as they are; each test
 * breaks one thing in a copy.
 */

/** One of everything the validator looks at: a table with an index, an SSM parameter, a topic, a role, a function, a log group, an export. */
export function validTemplate(): Template {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
    Resources: {
      ThingsTable: {
        Type: 'AWS::DynamoDB::Table',
        DeletionPolicy: 'Retain',
        Properties: {
          TableName: 'Things',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'owner', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [{ IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        },
      },
      ThingsTableParameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/THINGS_TABLE', Type: 'String', Value: { Ref: 'ThingsTable' } } },
      ThingsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'things' } },
      FnRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] },
          Policies: [
            {
              PolicyName: { 'Fn::Join': ['-', ['things', { Ref: 'Stage' }, 'fn']] },
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: [{ 'Fn::Sub': 'arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/THINGS_TABLE' }] },
                  { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: [{ 'Fn::GetAtt': ['ThingsTable', 'Arn'] }, { 'Fn::Sub': '${ThingsTable.Arn}/index/byOwner' }] },
                  { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Things' } } },
                ],
              },
            },
          ],
          RoleName: { 'Fn::Join': ['-', ['things', { Ref: 'Stage' }, { Ref: 'AWS::Region' }, 'fnRole']] },
        },
      },
      FnLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Sub': '/aws/lambda/things-${Stage}-fn' }, RetentionInDays: 30 } },
      Fn: {
        Type: 'AWS::Lambda::Function',
        DependsOn: ['FnRole', 'FnLogGroup'],
        Properties: {
          FunctionName: { 'Fn::Sub': 'things-${Stage}-fn' },
          Runtime: 'nodejs22.x',
          Handler: 'src/handlers/fn.handler',
          MemorySize: 256,
          Timeout: '10',
          Architectures: ['arm64'],
          Code: { S3Bucket: 'deployment-bucket', S3Key: 'fn.zip' },
          Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] },
          Environment: { Variables: { STAGE: { Ref: 'Stage' }, TOPIC: { Ref: 'ThingsTopic' } } },
          VpcConfig: { 'Fn::If': ['IsProd', { SubnetIds: { 'Fn::Split': [',', 'subnet-1,subnet-2'] }, SecurityGroupIds: ['sg-1'] }, { Ref: 'AWS::NoValue' }] },
        },
      },
    },
    Outputs: {
      ThingsTableArn: { Value: { 'Fn::GetAtt': ['ThingsTable', 'Arn'] }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-ThingsTableArn' } } },
    },
  };
}

/*
 * Cross-stack fixtures: an "owner" stack creating a table, its name parameter, a topic and the
 * topic's parameter, and a "reader" stack whose function reads them. Bundles are tiny JavaScript in
 * the shape esbuild writes (a name table read by key, the SDK required from the runtime).
 */

export const PARAMETER_TABLE = 'var P={thingsTable:"/THINGS_TABLE",topicArn:"/TOPIC_ARN",metrics:"/ENABLE_METRICS",unused:"/NEVER_READ"};';

/** A handler reading the given keys of P through GetParametersCommand, under SSM_PREFIX. */
export function bundleReading(keys: readonly string[], extra = ''): string {
  const names = keys.map((k) => `(process.env.SSM_PREFIX??"")+P.${k}`).join(',');
  return `"use strict";${PARAMETER_TABLE}var s=require("@aws-sdk/client-ssm"),sns=require("@aws-sdk/client-sns"),c=new s.SSMClient({});exports.handler=async()=>{await c.send(new s.GetParametersCommand({Names:[${names}]}));${extra}};`;
}

export function ownerTemplate(suffix = '', ssmPrefix = ''): Template {
  return {
    Resources: {
      ThingsTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: `Things${suffix}`,
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'owner', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [{ IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        },
      },
      ThingsTableParameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: `${ssmPrefix}/THINGS_TABLE`, Type: 'String', Value: { Ref: 'ThingsTable' } } },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: `things${suffix}` } },
      TopicParameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: `${ssmPrefix}/TOPIC_ARN`, Type: 'String', Value: { Ref: 'Topic' } } },
    },
  };
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
}

const ssm = (name: string) => ({ 'Fn::Sub': `arn:aws:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}` });
const table = (name: string) => ({ 'Fn::Sub': `arn:aws:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${name}` });
const topic = (name: string) => ({ 'Fn::Sub': `arn:aws:sns:\${AWS::Region}:\${AWS::AccountId}:${name}` });
export const arn = { ssm, table, topic };

/** What the reader's function needs for `bundleReading(['thingsTable', 'topicArn', 'metrics'], publish)`. */
export function readerStatements(suffix = '', ssmPrefix = ''): Statement[] {
  return [
    { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: [ssm(`${ssmPrefix}/THINGS_TABLE`), ssm(`${ssmPrefix}/TOPIC_ARN`), ssm(`${ssmPrefix}/ENABLE_METRICS`)] },
    { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: table(`Things${suffix}`) },
    { Effect: 'Allow', Action: 'sns:Publish', Resource: topic(`things${suffix}`) },
  ];
}

export function readerTemplate(statements: readonly Statement[], ssmPrefix = '', stage = 'dev'): Template {
  return {
    Resources: {
      ReadIamRoleLambdaExecution: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] },
          Policies: [{ PolicyName: 'read', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
          RoleName: `reader-${stage}-read-role`,
        },
      },
      ReadLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: `reader-${stage}-read`,
          Handler: 'src/handlers/read.handler',
          Runtime: 'nodejs22.x',
          Code: { S3Bucket: 'b', S3Key: 'read.zip' },
          Role: { 'Fn::GetAtt': ['ReadIamRoleLambdaExecution', 'Arn'] },
          Environment: { Variables: { SSM_PREFIX: ssmPrefix } },
        },
      },
    },
  };
}

export const PUBLISH = 'await c.send(new sns.PublishCommand({}));';

export function stack(service: string, template: Template, functions: Array<Partial<PackagedFunction>> = [], stage = 'dev'): PackagedStack {
  return {
    service,
    stage,
    name: `${service} (${stage})`,
    stackName: `${service}-${stage}`,
    template,
    functions: functions.map((f) => ({ name: 'read', logicalId: 'ReadLambdaFunction', roleLogicalId: 'ReadIamRoleLambdaExecution', environment: {}, artifact: 'read.zip', ...f })),
  };
}

/** The owner and reader stacks of one stage, everything consistent. */
export function consistentStage(options: { code?: string; statements?: Statement[]; suffix?: string; ssmPrefix?: string; stage?: string } = {}): PackagedStack[] {
  const { suffix = '', ssmPrefix = '', stage = 'dev' } = options;
  const reader = readerTemplate(options.statements ?? readerStatements(suffix, ssmPrefix), ssmPrefix, stage);
  const environment = { SSM_PREFIX: ssmPrefix };
  return [
    stack('owner', ownerTemplate(suffix, ssmPrefix), [], stage),
    stack('reader', reader, [{ code: options.code ?? bundleReading(['thingsTable', 'topicArn', 'metrics'], PUBLISH), environment }], stage),
  ];
}
