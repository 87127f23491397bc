import { analyzeBundle, parameterNamesRead } from '../../bundle';
import { iamMatches, resolveString } from '../../resolve';
import { loadSpec } from '../../spec';
import { validTemplate } from '../fixtures';

// Minified the way esbuild writes the handlers: a name table, reads by key, the SDK from the runtime.
const CODE = [
  '"use strict";var A={usersTable:"/USERS_TABLE_NAME",topic:"/SNS_TOPIC_ARN",metrics:"/ENABLE_METRICS"},Ir=Object.values(A);',
  'var R={signUp:"/signUp",signIn:"/signIn"};',
  'var s=require("@aws-sdk/client-ssm");',
  'async function h(c){const p=process.env.SSM_PREFIX??"";await c.send(new s.GetParametersCommand({Names:[p+A.usersTable,p+A["metrics"]]}));return q("byOwner",R.signUp)}',
  'exports.handler=h;',
].join('');
const known = (name: string) => /^\/[A-Z_]+$/.test(name);

describe('analyzeBundle', () => {
  it('finds the keys of a parameter name table the code reads, not the ones it only declares', () => {
    const facts = analyzeBundle(CODE);
    expect([...parameterNamesRead(facts, known)].sort()).toEqual(['/ENABLE_METRICS', '/USERS_TABLE_NAME']);
  });

  it('counts Object.values(table) as reading every name once its result is used', () => {
    const facts = analyzeBundle(`${CODE}exports.all=()=>Ir;`);
    expect([...parameterNamesRead(facts, known)].sort()).toEqual(['/ENABLE_METRICS', '/SNS_TOPIC_ARN', '/USERS_TABLE_NAME']);
  });

  it('takes a table as one of parameter names only when it holds a known parameter (routes are not)', () => {
    const facts = analyzeBundle(CODE);
    expect(facts.nameTables).toHaveLength(2);
    expect([...parameterNamesRead(facts, (n) => n === '/USERS_TABLE_NAME')]).not.toContain('/signUp');
  });

  it('counts a parameter name written out in the code', () => {
    const facts = analyzeBundle('exports.h=async(c,s)=>c.send(new s.GetParameterCommand({Name:"/REDIS_HOST"}));');
    expect([...parameterNamesRead(facts, known)]).toEqual(['/REDIS_HOST']);
    expect([...facts.sdkCommands]).toEqual(['GetParameterCommand']);
  });

  it('lists environment variables, SDK commands and string literals', () => {
    const facts = analyzeBundle(CODE);
    expect([...facts.environmentVariables]).toEqual(['SSM_PREFIX']);
    expect([...facts.sdkCommands]).toEqual(['GetParametersCommand']);
    expect(facts.strings.has('byOwner')).toBe(true);
    expect(facts.strings.has('/USERS_TABLE_NAME')).toBe(false); // only in the table
  });
});

describe('resolveString and iamMatches', () => {
  const ctx = { template: validTemplate(), spec: loadSpec(), stackName: 'fixture-dev' };

  it('makes ARNs and names from the template, with placeholders for region and account', () => {
    expect(resolveString({ 'Fn::GetAtt': ['ThingsTable', 'Arn'] }, ctx)).toBe('arn:aws:dynamodb:{region}:{account}:table/Things');
    expect(resolveString({ 'Fn::Sub': '${ThingsTable.Arn}/index/byOwner' }, ctx)).toBe('arn:aws:dynamodb:{region}:{account}:table/Things/index/byOwner');
    expect(resolveString({ Ref: 'ThingsTopic' }, ctx)).toBe('arn:aws:sns:{region}:{account}:things');
    expect(resolveString({ Ref: 'ThingsTableParameter' }, ctx)).toBe('/THINGS_TABLE');
    expect(resolveString({ 'Fn::GetAtt': ['ThingsTableParameter', 'Arn'] }, ctx)).toBe('arn:aws:ssm:{region}:{account}:parameter/THINGS_TABLE');
    expect(resolveString({ 'Fn::Join': ['-', ['a', { Ref: 'Stage' }, { Ref: 'AWS::StackName' }]] }, ctx)).toBe('a-dev-fixture-dev');
    expect(resolveString({ 'Fn::GetAtt': ['ThingsTable', 'StreamArn'] }, ctx)).toBe('{getatt.fixture-dev.ThingsTable.StreamArn}');
  });

  it('matches IAM wildcards, actions without case', () => {
    expect(iamMatches('arn:aws:dynamodb:*:*:table/Things*', 'arn:aws:dynamodb:{region}:{account}:table/Things/index/byOwner')).toBe(true);
    expect(iamMatches('arn:aws:dynamodb:*:*:table/Thing?', 'arn:aws:dynamodb:{region}:{account}:table/Things')).toBe(true);
    expect(iamMatches('arn:aws:dynamodb:*:*:table/Things', 'arn:aws:dynamodb:{region}:{account}:table/Things/index/byOwner')).toBe(false);
    expect(iamMatches('ssm:GetParameter*', 'ssm:getparameters', true)).toBe(true);
    expect(iamMatches('ssm:GetParameter', 'ssm:GetParameters', true)).toBe(false);
  });
});
