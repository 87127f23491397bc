import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_STAGE, stageNames, type DeploymentNames } from '@shared/platform/config/deployment-names';

/*
 * Reads a service's serverless.yml the way CloudFormation would see its resources: intrinsic
 * function tags (!Ref, !GetAtt, !Sub, ...) become plain objects. The local stack takes table
 * definitions and event subscriptions from here, so local and AWS cannot drift apart.
 *
 * Of Serverless Framework's variables it resolves the two that hold what the services share:
 * `${file(../serverless.common.yml):key}` (a whole value taken from another YAML file) and
 * `${self:path}` (another value of the same configuration). The names a deployment gives its
 * tables, topics and SSM parameters (custom.names) follow the stage's name qualifier, which is
 * handed in (deployment-names.ts, the same rule as serverless.common.yml's). Other variables
 * (`${sls:stage}`, `${param:…}`, `${env:…}`) stay as written.
 */

const INTRINSICS = ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Select', 'Split', 'FindInMap', 'ImportValue', 'Not', 'And', 'Or', 'Condition', 'Base64', 'Cidr', 'GetAZs'];
const customTags = INTRINSICS.flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    collection: collection === 'scalar' ? undefined : collection,
    resolve: (value: unknown) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value }),
  })),
);

export interface ServerlessService {
  dir: string;
  service: string;
  functions: Record<string, { handler: string; events?: Record<string, unknown>[] }>;
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  custom: Record<string, unknown>;
}

/** A Serverless Framework YAML file (a serverless.yml, serverless.common.yml) with its intrinsic function tags as objects. */
export const readServerlessYaml = (file: string) => YAML.parse(fs.readFileSync(file, 'utf8'), { customTags: customTags as never }) as unknown;
const readYaml = readServerlessYaml;

/** The service in `dir`, with the names of the deployment `names` describes (default: stage dev's, the guide's). */
export function loadService(dir: string, names: DeploymentNames = stageNames(DEFAULT_STAGE)): ServerlessService {
  const doc = includeFiles(readYaml(path.join(dir, 'serverless.yml')), dir) as Record<string, unknown>;
  const custom = doc.custom as Record<string, unknown> | undefined;
  if (custom?.names && typeof custom.names === 'object') {
    // What serverless.common.yml works out with ${param:…} and ${sls:stage}: the qualifier and what it adds.
    custom.names = { ...custom.names, qualifier: names.qualifier, suffix: names.suffix, ssmPrefix: names.ssmPrefix };
  }
  resolveSelf(doc, doc);
  return {
    dir,
    service: doc.service as string,
    functions: (doc.functions ?? {}) as ServerlessService['functions'],
    resources: (((doc.resources as Record<string, unknown>) ?? {}).Resources ?? {}) as ServerlessService['resources'],
    custom: (doc.custom ?? {}) as Record<string, unknown>,
  };
}

const FILE_REFERENCE = /^\$\{file\(([^)]+)\):([\w.-]+)\}$/;
const SELF_REFERENCE = /\$\{self:([\w.-]+)\}/g;
const WHOLE_SELF_REFERENCE = /^\$\{self:([\w.-]+)\}$/;
const MAX_DEPTH = 20;

const at = (value: unknown, address: string): unknown =>
  address.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);

/** Every value that is a whole `${file(<yaml>):<address>}` replaced by what it points to. */
function includeFiles(value: unknown, dir: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error(`${dir}/serverless.yml: \${file(…)} nested deeper than ${MAX_DEPTH}`);
  if (typeof value === 'string') {
    const ref = FILE_REFERENCE.exec(value);
    return ref ? includeFiles(at(readYaml(path.resolve(dir, ref[1])), ref[2]), dir, depth + 1) : value;
  }
  if (Array.isArray(value)) return value.map((v) => includeFiles(v, dir, depth));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, includeFiles(v, dir, depth)]));
  return value;
}

/** `${self:path}` replaced in place: a whole value by what it points to, inside a string by its text. */
function resolveSelf(value: unknown, doc: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error('${self:…} references form a cycle');
  if (typeof value === 'string') {
    const whole = WHOLE_SELF_REFERENCE.exec(value);
    if (whole) {
      const target = at(doc, whole[1]);
      return target === undefined ? value : resolveSelf(target, doc, depth + 1);
    }
    return value.replace(SELF_REFERENCE, (ref, address: string) => {
      const target = resolveSelf(at(doc, address), doc, depth + 1);
      return typeof target === 'string' || typeof target === 'number' ? String(target) : ref;
    });
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => (value[i] = resolveSelf(v, doc, depth)));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = resolveSelf(v, doc, depth);
  }
  return value;
}

/** The DynamoDB tables a service declares. */
export function tablesOf(service: ServerlessService) {
  return Object.values(service.resources)
    .filter((r) => r.Type === 'AWS::DynamoDB::Table')
    .map((r) => r.Properties as Record<string, unknown>);
}

/** Topic name → function names subscribed through `sns` events. */
export function snsSubscriptionsOf(service: ServerlessService): { topic: string; functionName: string }[] {
  const out: { topic: string; functionName: string }[] = [];
  for (const [functionName, fn] of Object.entries(service.functions)) {
    for (const event of fn.events ?? []) {
      const sns = event.sns as string | { topicName?: string; arn?: unknown } | undefined;
      if (!sns) continue;
      const topic = typeof sns === 'string' ? sns : sns.topicName;
      if (topic) out.push({ topic, functionName });
    }
  }
  return out;
}
