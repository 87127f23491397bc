import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/*
 * Reads a service's serverless.yml the way CloudFormation would see its resources: intrinsic
 * function tags (!Ref, !GetAtt, !Sub, ...) become plain objects. The local stack takes table
 * definitions and event subscriptions from here, so local and AWS cannot drift apart.
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

export function loadService(dir: string): ServerlessService {
  const doc = YAML.parse(fs.readFileSync(path.join(dir, 'serverless.yml'), 'utf8'), { customTags: customTags as never }) as Record<string, unknown>;
  return {
    dir,
    service: doc.service as string,
    functions: (doc.functions ?? {}) as ServerlessService['functions'],
    resources: (((doc.resources as Record<string, unknown>) ?? {}).Resources ?? {}) as ServerlessService['resources'],
    custom: (doc.custom ?? {}) as Record<string, unknown>,
  };
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
