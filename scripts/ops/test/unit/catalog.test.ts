import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_STAGE, deploymentNames, GUIDE_NAMES, stageNames, UNQUALIFIED } from '@shared/platform/config/deployment-names';
import { ALL_PARAMETERS, Parameter } from '@shared/platform/config/parameters';
import { ROOT } from '../../../lib/paths';
import { loadService, readServerlessYaml, snsSubscriptionsOf, tablesOf, type ServerlessService } from '../../../local/serverless-yml';
import { CUSTOM_METRICS, PROBLEM_METRICS, SERVICE_FUNCTIONS, SERVICES, TABLES, websocketApiNames } from '../../catalog';
import { stageParameterName } from '../../commands/ssm';
import { UsageError } from '../../output';
import { resolveTarget } from '../../target';
const present = SERVICES.filter((s) => fs.existsSync(path.join(ROOT, s, 'serverless.yml')));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', '.esbuild', '.serverless', 'test'].includes(e.name) ? [] : sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('the ops catalog matches the services', () => {
  it.each(present)('%s: the same function names as its serverless.yml', (service) => {
    expect(Object.keys(loadService(path.join(ROOT, service)).functions).sort()).toEqual([...SERVICE_FUNCTIONS[service]].sort());
  });

  it('knows every table the services declare, with the indexes the code relies on', () => {
    const declared = present.flatMap((s) => tablesOf(loadService(path.join(ROOT, s))));
    for (const table of declared) {
      const name = String(table.TableName);
      expect(Object.keys(TABLES)).toContain(name);
      const indexes = [...((table.GlobalSecondaryIndexes as { IndexName: string }[]) ?? []), ...((table.LocalSecondaryIndexes as { IndexName: string }[]) ?? [])].map((i) => i.IndexName);
      expect(indexes).toEqual(expect.arrayContaining(TABLES[name].indexes));
    }
  });

  it('lists every custom metric the code publishes (so the dashboard, alarms and docs cover it)', () => {
    const files = [...present.map((s) => path.join(ROOT, s, 'src')), path.join(ROOT, 'shared/platform/src'), path.join(ROOT, 'shared/chat/src')].filter(fs.existsSync).flatMap(sourceFiles);
    const published = new Set(files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/metrics\.(?:count|gauge|timing)\('(\w+)'/g)].map((m) => m[1])));
    expect([...published].filter((m) => ![...CUSTOM_METRICS, ...PROBLEM_METRICS].includes(m as never))).toEqual([]);
  });

  it('finds the WebSocket API by the name realTimeService gives it', () => {
    const yml = path.join(ROOT, 'realTimeService/serverless.yml');
    if (!fs.existsSync(yml)) return;
    const configured = /websocketsApiName:\s*(\S+)/.exec(fs.readFileSync(yml, 'utf8'))?.[1];
    const expected = configured?.replace('${self:service}', 'realTimeService').replace('${sls:stage}', 'dev');
    expect(websocketApiNames('realTimeService', 'dev')).toContain(expected ?? 'dev-realTimeService-websockets');
  });
});

describe('names per stage: serverless.common.yml, deployment-names.ts and the ops tools agree', () => {
  const common = readServerlessYaml(path.join(ROOT, 'serverless.common.yml')) as Record<string, Record<string, unknown>>;
  const load = (service: string, stage: string, qualifier?: string) => loadService(path.join(ROOT, service), stageNames(stage, qualifier));
  const ofType = (service: ServerlessService, type: string) => Object.values(service.resources).filter((r) => r.Type === type).map((r) => r.Properties ?? {});

  it('spells the same rule: the guide\'s names for dev (qualifier none), the stage\'s name otherwise', () => {
    expect(common.defaultNameQualifier).toEqual({ [DEFAULT_STAGE]: UNQUALIFIED });
    expect(common.unqualified).toEqual({ [UNQUALIFIED]: { suffix: '', ssmPrefix: '' } });
  });

  it.each([UNQUALIFIED, 'prod'])('names every resource and parameter as deployment-names.ts does (qualifier %s)', (qualifier) => {
    const expected = deploymentNames(qualifier);
    const { names } = load(present[0], 'any', qualifier).custom as { names: Record<string, unknown> };
    const { parameters, qualifier: q, suffix, ssmPrefix, ...resources } = names;
    expect({ q, suffix, ssmPrefix }).toEqual({ q: expected.qualifier, suffix: expected.suffix, ssmPrefix: expected.ssmPrefix });
    for (const [key, name] of Object.entries(resources)) expect([key, name]).toEqual([key, expected[key as keyof typeof GUIDE_NAMES]]);
    expect(parameters).toEqual(expected.parameters);
  });

  it('has one SSM ARN shorthand per parameter of parameters.ts', () => {
    expect(Object.keys(common.ssm).sort()).toEqual(Object.keys(Parameter).sort());
    for (const [key, arn] of Object.entries(common.ssm)) {
      expect(arn).toEqual({ 'Fn::Sub': `arn:aws:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter\${self:custom.names.parameters.${key}}` });
    }
  });

  it('creates every parameter the functions read in exactly one stack, except the operators\' switch /ENABLE_METRICS', () => {
    if (present.length < SERVICES.length) return;
    for (const stage of ['dev', 'prod']) {
      const names = stageNames(stage);
      const created = present.flatMap((s) => ofType(load(s, stage), 'AWS::SSM::Parameter').map((p) => p.Name));
      expect(created.sort()).toEqual(ALL_PARAMETERS.filter((p) => p !== Parameter.enableMetrics).map((p) => names.parameter(p)).sort());
    }
  });

  it.each(present)('%s: every table, topic, SSM parameter, log group and IAM ARN of stage prod carries its qualifier', (service) => {
    const prod = load(service, 'prod');
    for (const t of tablesOf(prod)) expect(t.TableName).toMatch(/-prod$/);
    for (const s of snsSubscriptionsOf(prod)) expect(s.topic).toMatch(/-prod$/);
    for (const p of ofType(prod, 'AWS::SSM::Parameter')) expect(p.Name).toMatch(/^\/prod\//);
    for (const g of ofType(prod, 'AWS::Logs::LogGroup')) expect(g.LogGroupName).toMatch(/-prod$/);
    const text = JSON.stringify([prod.functions, prod.resources, prod.custom.arn, prod.custom.ssm]);
    expect(text.match(/:parameter\/[\w/]+/g)?.filter((arn) => !arn.startsWith(':parameter/prod/')) ?? []).toEqual([]);
    expect(text.match(/:table\/[\w-]+/g)?.filter((arn) => !arn.endsWith('-prod')) ?? []).toEqual([]);
    expect(text.match(/:sns:[^"]+/g)?.filter((arn) => !arn.endsWith('-prod')) ?? []).toEqual([]);
    // …and stage dev keeps the operations guide's.
    const guide = Object.values(GUIDE_NAMES) as string[];
    for (const t of tablesOf(load(service, 'dev'))) expect(guide).toContain(t.TableName);
    for (const p of ofType(load(service, 'dev'), 'AWS::SSM::Parameter')) expect(ALL_PARAMETERS).toContain(p.Name);
  });

  it('gives the ops commands the names of the stage they act on', () => {
    expect(resolveTarget({ stage: 'dev' }).names).toMatchObject({ messagesTable: 'Messages', alarmTopic: 'workshop-alarms', ssmPrefix: '' });
    const prod = resolveTarget({ stage: 'prod', region: 'ap-south-1' });
    expect(prod.names).toMatchObject({ messagesTable: 'Messages-prod', alarmTopic: 'workshop-alarms-prod', redisLogGroup: '/aws/elasticache/realtime-redis-prod' });
    expect(prod.names.parameter(Parameter.enableMetrics)).toBe('/prod/ENABLE_METRICS');
    expect(resolveTarget({ stage: 'prod', nameQualifier: 'none' }).names.usersTable).toBe('Users');
    expect(resolveTarget({ stage: 'dev', nameQualifier: 'blue' }).describe()).toContain('name qualifier blue');
    expect(() => resolveTarget({ stage: 'prod', nameQualifier: 'a/b' })).toThrow(UsageError);
  });

  it('names a local stack by its stage, as a deployment of that stage would', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-target-'));
    try {
      const file = path.join(dir, 'endpoints.json');
      fs.writeFileSync(file, JSON.stringify({ stage: 'dev', region: 'ap-south-1' }));
      expect(resolveTarget({ endpoints: file }).names.parameters.redisHost).toBe('/REDIS_HOST');
      fs.writeFileSync(file, JSON.stringify({ stage: 'qa', region: 'ap-south-1' }));
      expect(resolveTarget({ endpoints: file }).names.parameters.redisHost).toBe('/qa/REDIS_HOST');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps a contract parameter name to the stage\'s, and leaves other names alone', () => {
    const prod = stageNames('prod');
    expect(stageParameterName('/ENABLE_METRICS', prod)).toEqual({ ssmName: '/prod/ENABLE_METRICS', contract: true });
    expect(stageParameterName('/prod/ENABLE_METRICS', prod)).toEqual({ ssmName: '/prod/ENABLE_METRICS', contract: true });
    expect(stageParameterName('/ENABLE_METRICS', stageNames('dev'))).toEqual({ ssmName: '/ENABLE_METRICS', contract: true });
    expect(stageParameterName('/prod/OTHER', prod)).toEqual({ ssmName: '/prod/OTHER', contract: false });
    expect(stageParameterName('/OTHER', prod)).toEqual({ ssmName: '/OTHER', contract: false });
  });
});
