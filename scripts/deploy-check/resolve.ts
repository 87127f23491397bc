import { getAttTarget, subVariables } from './references';
import type { ResourceSpec } from './spec';
import { intrinsicOf, isObject, propertiesOf, resourceType, type Template } from './template';

/*
 * Names and ARNs as a template will make them, worked out offline: literal values stay, pseudo
 * parameters become placeholders that are the same for every stack of one account and region
 * ({region}, {account}; the partition is `aws`), and a Ref or Fn::GetAtt of a resource
 * gives its physical name or ARN when the template fixes it (TableName, TopicName, … through the
 * specification's ARN templates). What only the deploy can know becomes a placeholder naming its
 * stack and logical id, which equals nothing else: two names compare equal only when they are.
 * (Placeholders hold no `:` or `/`, so ARNs made with them still split into their parts.)
 */

export const REGION = '{region}';
export const ACCOUNT = '{account}';

export interface ResolveContext {
  template: Template;
  spec: ResourceSpec;
  /** The stack's name (`<service>-<stage>` for Serverless Framework), what AWS::StackName gives. */
  stackName: string;
}

/** The string a value will be at deploy time, with placeholders for what is not known before. */
export function resolveString(value: unknown, ctx: ResolveContext, depth = 0): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const call = intrinsicOf(value);
  if (!call || depth > 20) return '{?}';
  const again = (v: unknown) => resolveString(v, ctx, depth + 1);
  switch (call.fn) {
    case 'Ref':
      return typeof call.arg === 'string' ? refValue(call.arg, ctx, depth) : '{?}';
    case 'Fn::GetAtt': {
      const target = getAttTarget(call.arg);
      return target && typeof target.attribute === 'string' ? attributeValue(target.logicalId, target.attribute, ctx, depth) : '{?}';
    }
    case 'Fn::Sub': {
      const [text, variables] = Array.isArray(call.arg) ? [call.arg[0], call.arg[1]] : [call.arg, undefined];
      if (typeof text !== 'string') return '{?}';
      const local = isObject(variables) ? variables : {};
      let out = text;
      for (const name of subVariables(text)) {
        const dot = name.indexOf('.');
        const replacement = name in local ? again(local[name]) : dot > 0 ? attributeValue(name.slice(0, dot), name.slice(dot + 1), ctx, depth) : refValue(name, ctx, depth);
        out = out.split(`\${${name}}`).join(replacement);
      }
      return out.replace(/\$\{!/g, '${');
    }
    case 'Fn::Join': {
      const [delimiter, parts] = Array.isArray(call.arg) ? call.arg : [];
      return typeof delimiter === 'string' && Array.isArray(parts) ? parts.map(again).join(delimiter) : '{?}';
    }
    case 'Fn::Select': {
      const [index, list] = Array.isArray(call.arg) ? call.arg : [];
      return Array.isArray(list) && list[Number(index)] !== undefined ? again(list[Number(index)]) : '{?}';
    }
    default:
      return `{?${call.fn.replace(/:/g, '')}}`;
  }
}

function refValue(name: string, ctx: ResolveContext, depth: number): string {
  switch (name) {
    case 'AWS::Region':
      return REGION;
    case 'AWS::AccountId':
      return ACCOUNT;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return ctx.stackName;
    case 'AWS::NoValue':
      return '';
  }
  const parameter = ctx.template.Parameters?.[name];
  if (isObject(parameter)) return typeof parameter.Default === 'string' || typeof parameter.Default === 'number' ? String(parameter.Default) : `{parameter.${ctx.stackName}.${name}}`;
  const resource = ctx.template.Resources[name];
  const type = isObject(resource) ? resourceType(resource) : undefined;
  const spec = type ? ctx.spec.resource(type) : undefined;
  // What Ref gives is the resource's identifier: its name (a table), or its ARN (a topic).
  const identifiers = spec?.cfnRefIdentifier ?? spec?.primaryIdentifier ?? [];
  if (isObject(resource) && identifiers.length === 1) {
    const identifier = identifiers[0];
    const property = propertiesOf(resource)[identifier];
    if (property !== undefined) return resolveString(property, ctx, depth + 1);
    if (identifier.endsWith('Arn')) return arnOf(name, ctx, depth);
  }
  return `{ref.${ctx.stackName}.${name}}`;
}

function attributeValue(logicalId: string, attribute: string, ctx: ResolveContext, depth: number): string {
  const resource = ctx.template.Resources[logicalId];
  if (isObject(resource)) {
    const type = resourceType(resource);
    const spec = type ? ctx.spec.resource(type) : undefined;
    // `Arn`, or the identifier when it is the ARN (a topic's TopicArn); a StreamArn is something else.
    const identifier = spec?.primaryIdentifier?.length === 1 ? spec.primaryIdentifier[0] : undefined;
    if (attribute === 'Arn' || (attribute === identifier && attribute.endsWith('Arn'))) return arnOf(logicalId, ctx, depth);
    const property = propertiesOf(resource)[attribute];
    if (property !== undefined) return resolveString(property, ctx, depth + 1);
  }
  return `{getatt.${ctx.stackName}.${logicalId}.${attribute}}`;
}

/** The resource's ARN from the specification's template for its type, when the template names it. */
export function arnOf(logicalId: string, ctx: ResolveContext, depth = 0): string {
  const unknown = `{arn.${ctx.stackName}.${logicalId}}`;
  const resource = ctx.template.Resources[logicalId];
  const type = isObject(resource) ? resourceType(resource) : undefined;
  const arnTemplate = type ? ctx.spec.resource(type)?.arnTemplate : undefined;
  if (!isObject(resource) || !arnTemplate) return unknown;
  const properties = propertiesOf(resource);
  let complete = true;
  const arn = arnTemplate.replace(/\$\{([A-Za-z]+)\}/g, (_, name: string) => {
    if (name === 'Partition') return 'aws';
    if (name === 'Region') return REGION;
    if (name === 'Account') return ACCOUNT;
    // e.g. ${ParameterNameWithoutLeadingSlash}: the Name property without its leading slash.
    const stripSlash = name.endsWith('WithoutLeadingSlash');
    const base = stripSlash ? name.slice(0, -'WithoutLeadingSlash'.length) : name;
    // ${ParameterName} is the property Name: the spec's templates name some properties longer.
    const property = properties[base] ?? (base.endsWith('Name') ? properties.Name : undefined);
    if (property === undefined) {
      complete = false;
      return '';
    }
    const value = resolveString(property, ctx, depth + 1);
    return stripSlash ? value.replace(/^\//, '') : value;
  });
  return complete ? arn : unknown;
}

/** Does an IAM pattern (`*` any run of characters, `?` one) cover a value? Actions compare without case. */
export function iamMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}
