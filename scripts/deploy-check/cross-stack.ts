import { analyzeBundle, parameterNamesRead, type BundleFacts } from './bundle';
import { asList, roleAllowStatements, stringList, type StatementAt } from './iam';
import type { PackagedStack } from './packaged';
import { getAttTarget } from './references';
import { ACCOUNT, arnOf, iamMatches, REGION, resolveString, type ResolveContext } from './resolve';
import type { ResourceSpec } from './spec';
import { sharedNames } from './stage-collisions';
import { finding, intrinsicOf, isObject, propertiesOf, resourceEntries, resourceType, type Finding } from './template';

/*
 * The four stacks of one stage together. A function reads SSM parameters that other stacks
 * create, and uses tables, indexes and a topic that other stacks own, through names: nothing
 * but this check holds the names, the grants and the code to each other before a deploy.
 *
 * What a function reads is taken from its bundle (bundle.ts): the parameter names its code
 * refers to, under the prefix its environment gives (SSM_PREFIX). That is an upper bound: a
 * name counts when code that reads it is in the bundle, whether or not this function runs it.
 * Then, for every function:
 * - each parameter it reads is created by exactly one stack of the stage, or set by the operator
 *   (OPERATOR_PARAMETERS), and its role allows reading it;
 * - each parameter its role allows reading exists, and its code refers to it (else the grant is
 *   dead weight);
 * - the table or topic a parameter it reads names (the parameter's Value is a Ref/GetAtt of it)
 *   is granted to it, and so is each index of that table whose name is in its code;
 * - every table, index and topic ARN its role names is one a stack of this stage creates.
 * And no two stacks create the same account-unique name.
 */

/**
 * Parameters no stack creates on purpose, because an operator owns their value (a stack would
 * reset it on every deploy). By the name the code uses; a deployment's SSM_PREFIX goes before it.
 */
export const OPERATOR_PARAMETERS: Readonly<Record<string, string>> = {
  '/ENABLE_METRICS':
    'The metrics switch of the operations guide (§3): operators turn it on and off at run time with `npm run ops -- ssm set /ENABLE_METRICS true`, without a deploy; no stack creates it so that a deploy never resets it, and while it is absent metrics are off (the code reads it with find(), which allows absence).',
};

/**
 * The environment variable whose value the shared SSM reader puts before every name it reads
 * (shared/platform/src/config/ssm-config.ts), when a function's bundle reads it.
 */
export const PARAMETER_PREFIX_VARIABLE = 'SSM_PREFIX';

/**
 * The findings that rest on the bundle's upper bound alone (code that can reach a parameter,
 * table, index or topic the role does not grant), apart from the ones about names and owners.
 * Such code may never run for this function (a composition root shared by all handlers), but when
 * it does, it fails with AccessDenied on AWS and nowhere else: the local stack enforces no IAM.
 */
export const BUNDLE_REACH_RULES: ReadonlySet<string> = new Set(['parameter-not-granted', 'table-not-granted', 'index-not-granted', 'topic-not-granted']);

/** SDK v3 command → the IAM action it needs, for the reads this check follows. */
const SSM_READ_ACTIONS: Readonly<Record<string, string>> = { GetParametersCommand: 'ssm:GetParameters', GetParameterCommand: 'ssm:GetParameter' };

interface Creator {
  stack: PackagedStack;
  logicalId: string;
  ctx: ResolveContext;
  /** The resource its Value is a Ref or Fn::GetAtt of, in the same stack. */
  valueOf?: string;
}

interface Table {
  name: string;
  arn: string;
  indexes: string[];
  stack: PackagedStack;
  logicalId: string;
}

const ctxOf = (stack: PackagedStack, spec: ResourceSpec): ResolveContext => ({ template: stack.template, spec, stackName: stack.stackName });
const parameterArn = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`;

export function checkCrossStack(stacks: readonly PackagedStack[], spec: ResourceSpec, bundleCache = new Map<string, BundleFacts>()): Finding[] {
  const findings: Finding[] = [...sharedNames(stacks, spec)];
  const creators = parameterCreators(stacks, spec);
  const tables = tablesOf(stacks, spec);
  const topics = new Map(stacks.flatMap((s) => resourceEntries(s.template).filter(([, r]) => resourceType(r) === 'AWS::SNS::Topic').map(([id]) => [arnOf(id, ctxOf(s, spec)), { stack: s, logicalId: id }] as const)));

  for (const stack of stacks) {
    const ctx = ctxOf(stack, spec);
    for (const fn of stack.functions) {
      // Code findings name the function (its bundle is Properties.Code), grant findings its role.
      const role = fn.roleLogicalId ?? fn.logicalId;
      const at = (rule: string, logicalId: string, path: string, detail: string) => findings.push(finding(rule, stack.name, logicalId, path, `function ${fn.name}: ${detail}`));
      if (fn.code === undefined) {
        at('no-bundle', fn.logicalId, 'Properties.Code', `no bundled handler in ${fn.artifact}: what it reads cannot be checked`);
        continue;
      }
      const facts = cached(bundleCache, fn.code);
      const statements = fn.roleLogicalId ? roleAllowStatements(stack.template, fn.roleLogicalId) : [];
      const grants: Grant[] = statements.map((s) => ({ ...s, actions: stringList(s.statement.Action), resources: asList(s.statement.Resource).map((r) => resolveString(r, ctx)) }));
      const granted = grantedParameters(grants);
      const allows = (action: string | RegExp, arn: string) =>
        grants.some((g) => g.actions.some((a) => (typeof action === 'string' ? iamMatches(a, action, true) : action.test(a))) && g.resources.some((r) => iamMatches(r, arn)));
      const rolePath = fn.roleLogicalId ? `role ${fn.roleLogicalId}` : 'its role (none in this template)';

      // ---- SSM parameters ----
      const prefix = facts.environmentVariables.has(PARAMETER_PREFIX_VARIABLE) ? resolveString(fn.environment[PARAMETER_PREFIX_VARIABLE] ?? '', ctx) : '';
      const isOperator = (full: string) => full.startsWith(prefix) && full.slice(prefix.length) in OPERATOR_PARAMETERS;
      const known = (codeName: string) => creators.has(prefix + codeName) || codeName in OPERATOR_PARAMETERS || granted.has(prefix + codeName);
      const actions = [...facts.sdkCommands].map((c) => SSM_READ_ACTIONS[c]).filter((a): a is string => Boolean(a));
      const reads = actions.length ? new Set([...parameterNamesRead(facts, known)].map((n) => prefix + n)) : new Set<string>();
      const readable = new Set<string>();
      for (const name of [...reads].sort()) {
        const owners = creators.get(name) ?? [];
        if (owners.length === 0 && !isOperator(name)) {
          at('parameter-not-created', fn.logicalId, 'Properties.Code', `its code reads SSM parameter ${name}, which no stack of this stage creates and OPERATOR_PARAMETERS does not list`);
        }
        const missing = actions.filter((a) => !allows(a, parameterArn(name)));
        if (missing.length) at('parameter-not-granted', role, 'Properties.Policies', `its code reads SSM parameter ${name}, but ${rolePath} does not allow ${missing.join(', ')} on ${parameterArn(name)}`);
        else readable.add(name);
      }
      for (const [name, grant] of granted) {
        if (!creators.has(name) && !isOperator(name)) at('granted-parameter-missing', grant.logicalId, grant.path, `${rolePath} allows reading SSM parameter ${name}, which no stack of this stage creates and OPERATOR_PARAMETERS does not list`);
        else if (!reads.has(name)) at('granted-parameter-unused', grant.logicalId, grant.path, `${rolePath} allows reading SSM parameter ${name}, but its code never refers to it`);
      }

      // ---- what the parameters it can read name: tables (and their indexes), topics ----
      for (const name of [...readable].sort()) {
        const owners = creators.get(name) ?? [];
        const owner = owners.length === 1 ? owners[0] : undefined;
        const valueOf = owner?.valueOf;
        if (!owner || !valueOf) continue;
        const target = owner.stack.template.Resources[valueOf];
        const type = isObject(target) ? resourceType(target) : undefined;
        const via = `(it reads its name from ${name}, created by ${owner.stack.name} ${owner.logicalId})`;
        if (type === 'AWS::DynamoDB::Table') {
          const table = tables.find((t) => t.stack === owner.stack && t.logicalId === valueOf);
          if (!table) continue;
          // A function that only queries an index is granted the index, not the table.
          const onTable = [table.arn, ...table.indexes.map((i) => `${table.arn}/index/${i}`)];
          if (!onTable.some((arn) => allows(/^dynamodb:/i, arn))) at('table-not-granted', role, 'Properties.Policies', `uses table ${table.name} ${via}, but ${rolePath} allows no dynamodb action on ${table.arn} or its indexes`);
          for (const index of table.indexes.filter((i) => facts.strings.has(i))) {
            const arn = `${table.arn}/index/${index}`;
            if (!allows(/^dynamodb:/i, arn)) at('index-not-granted', role, 'Properties.Policies', `its code names index ${index} of table ${table.name} ${via}, but ${rolePath} allows no dynamodb action on ${arn}`);
          }
        }
        if (type === 'AWS::SNS::Topic') {
          const arn = arnOf(valueOf, owner.ctx);
          const action = facts.sdkCommands.has('PublishCommand') ? 'sns:Publish' : /^sns:/i;
          if (!allows(action, arn)) at('topic-not-granted', role, 'Properties.Policies', `uses topic ${arn} ${via}, but ${rolePath} allows no ${typeof action === 'string' ? action : 'sns action'} on it`);
        }
      }

      // ---- every table, index and topic its role names exists in this stage ----
      for (const grant of grants) {
        for (const [i, arn] of grant.resources.entries()) {
          const path = Array.isArray(grant.statement.Resource) ? `${grant.path}.Resource[${i}]` : `${grant.path}.Resource`;
          const table = /^arn:aws:dynamodb:[^:]*:[^:]*:table\/([^/*?]+)(?:\/index\/([^/]+))?$/.exec(arn);
          if (table && grant.actions.some((a) => /^dynamodb:/i.test(a))) {
            const owner = tables.find((t) => t.name === table[1]);
            if (!owner) at('granted-table-missing', grant.logicalId, path, `${rolePath} names table ${table[1]} (${arn}), which no stack of this stage creates`);
            else if (table[2] && !/[*?]/.test(table[2]) && !owner.indexes.includes(table[2])) {
              at('granted-index-missing', grant.logicalId, path, `${rolePath} names index ${table[2]} of table ${table[1]}, which ${owner.stack.name} ${owner.logicalId} does not define (it has: ${owner.indexes.join(', ') || 'none'})`);
            }
          }
          if (/^arn:aws:sns:/.test(arn) && !/[*?]/.test(arn) && grant.actions.some((a) => /^sns:/i.test(a)) && !topics.has(arn)) {
            at('granted-topic-missing', grant.logicalId, path, `${rolePath} names topic ${arn}, which no stack of this stage creates`);
          }
        }
      }
    }
  }
  return findings;
}

function cached(cache: Map<string, BundleFacts>, code: string): BundleFacts {
  // Two stages bundle the very same code; parsing it once is enough.
  let facts = cache.get(code);
  if (!facts) {
    facts = analyzeBundle(code);
    cache.set(code, facts);
  }
  return facts;
}

/** Parameter name → the AWS::SSM::Parameter resources (of any stack) that create it. */
function parameterCreators(stacks: readonly PackagedStack[], spec: ResourceSpec): Map<string, Creator[]> {
  const creators = new Map<string, Creator[]>();
  for (const stack of stacks) {
    const ctx = ctxOf(stack, spec);
    for (const [logicalId, resource] of resourceEntries(stack.template)) {
      if (resourceType(resource) !== 'AWS::SSM::Parameter') continue;
      const properties = propertiesOf(resource);
      if (properties.Name === undefined) continue; // a generated name nobody can know to read
      const name = resolveString(properties.Name, ctx);
      const value = intrinsicOf(properties.Value);
      const valueOf = value?.fn === 'Ref' && typeof value.arg === 'string' ? value.arg : value?.fn === 'Fn::GetAtt' ? getAttTarget(value.arg)?.logicalId : undefined;
      creators.set(name, [...(creators.get(name) ?? []), { stack, logicalId, ctx, valueOf }]);
    }
  }
  return creators;
}

function tablesOf(stacks: readonly PackagedStack[], spec: ResourceSpec): Table[] {
  return stacks.flatMap((stack) =>
    resourceEntries(stack.template)
      .filter(([, r]) => resourceType(r) === 'AWS::DynamoDB::Table')
      .map(([logicalId, resource]) => {
        const ctx = ctxOf(stack, spec);
        const properties = propertiesOf(resource);
        const indexes = [...asList(properties.GlobalSecondaryIndexes), ...asList(properties.LocalSecondaryIndexes)]
          .map((i) => (isObject(i) ? resolveString(i.IndexName, ctx) : ''))
          .filter(Boolean);
        return { name: (properties.TableName === undefined ? `{ref.${stack.stackName}.${logicalId}}` : resolveString(properties.TableName, ctx)), arn: arnOf(logicalId, ctx), indexes, stack, logicalId };
      }),
  );
}

/** An Allow statement of a role with its actions and its resources resolved (in the order written). */
type Grant = StatementAt & { actions: string[]; resources: string[] };

/** Parameter name → where a statement allows an ssm:GetParameter(s) read of it by name (wildcards are not names). */
function grantedParameters(grants: readonly Grant[]): Map<string, { logicalId: string; path: string }> {
  const granted = new Map<string, { logicalId: string; path: string }>();
  for (const grant of grants) {
    if (!grant.actions.some((a) => /^ssm:(GetParameter|GetParameters|\*|GetParameter\*)$/i.test(a))) continue;
    grant.resources.forEach((arn, i) => {
      const match = /^arn:aws:ssm:[^:]*:[^:]*:parameter\/([^*?]+)$/.exec(arn);
      const path = Array.isArray(grant.statement.Resource) ? `${grant.path}.Resource[${i}]` : `${grant.path}.Resource`;
      if (match && !granted.has(`/${match[1]}`)) granted.set(`/${match[1]}`, { logicalId: grant.logicalId, path });
    });
  }
  return granted;
}

