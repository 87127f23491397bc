import { closest, type ResultKind } from './shape';
import type { ResourceSpec } from './spec';
import {
  childPath,
  CONDITION_FUNCTIONS,
  finding,
  intrinsicOf,
  isObject,
  PSEUDO_PARAMETERS,
  resourceType,
  VALUE_FUNCTIONS,
  type Finding,
  type Intrinsic,
  type Template,
} from './template';

/*
 * Every name a template uses must name something: Ref a resource, parameter or pseudo parameter;
 * Fn::GetAtt a resource and an attribute its type really has (from the specification); Fn::Sub's
 * ${…} likewise; DependsOn and Condition a resource or condition that is declared. CloudFormation
 * refuses a template otherwise, but only at deploy time, after the artifacts are uploaded.
 */

/** Calls anywhere in a value (nested calls too), with the path of each. */
export function visitIntrinsics(value: unknown, path: string, visit: (call: Intrinsic, path: string) => void): void {
  const call = intrinsicOf(value);
  if (call) {
    visit(call, path);
    visitIntrinsics(call.arg, childPath(path, call.fn), visit);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => visitIntrinsics(v, childPath(path, i), visit));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) visitIntrinsics(v, childPath(path, k), visit);
}

function visitObjects(value: unknown, path: string, visit: (object: Record<string, unknown>, path: string) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => visitObjects(v, childPath(path, i), visit));
  else if (isObject(value)) {
    visit(value, path);
    for (const [k, v] of Object.entries(value)) visitObjects(v, childPath(path, k), visit);
  }
}

/** The `${…}` names in a Fn::Sub string (`${!Literal}` is text, not a name). */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1].trim()).filter((name) => !name.startsWith('!'));
}

/** `["Logical", "Attr"]` or `"Logical.Attr"` (the attribute may itself contain dots). */
export function getAttTarget(arg: unknown): { logicalId: string; attribute: unknown } | undefined {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return dot > 0 ? { logicalId: arg.slice(0, dot), attribute: arg.slice(dot + 1) } : undefined;
  }
  if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') return { logicalId: arg[0], attribute: arg[1] };
  return undefined;
}

/** Resource types whose attributes the specification cannot know (they come from a Lambda or a nested stack). */
function anyAttribute(type: string, attribute: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource' || (type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.'));
}

export function checkReferences(name: string, template: Template, spec: ResourceSpec): Finding[] {
  const findings: Finding[] = [];
  const resources = template.Resources;
  const parameters = template.Parameters ?? {};
  const conditions = template.Conditions ?? {};

  // `how` says which call it was: `Ref "X"`, `Fn::GetAtt X.Attr`, `Fn::Sub ${X}`.
  const checkRefTarget = (logicalId: string, path: string, target: string, how: string) => {
    if (PSEUDO_PARAMETERS.has(target) || target in resources || target in parameters) return;
    findings.push(finding('unresolved-ref', name, logicalId, path, `${how} names no resource, parameter or pseudo parameter of this template`));
  };
  const checkGetAtt = (logicalId: string, path: string, target: string, attribute: unknown, how: string) => {
    const resource = resources[target];
    if (!isObject(resource)) {
      const what = target in parameters ? 'a parameter, not a resource' : 'no resource of this template';
      findings.push(finding('unresolved-getatt', name, logicalId, path, `${how}: "${target}" is ${what}`));
      return;
    }
    if (typeof attribute !== 'string') return; // an attribute chosen by Ref to a parameter: known only at deploy
    const type = resourceType(resource);
    const typeSpec = type ? spec.resource(type) : undefined;
    if (!type || !typeSpec || anyAttribute(type, attribute)) return; // an unknown type is reported once, as such
    if (!(attribute in typeSpec.attributes)) {
      const known = Object.keys(typeSpec.attributes);
      const guess = closest(attribute, known);
      const listed = guess ? `did you mean "${guess}"?` : known.length <= 12 ? `it has: ${known.join(', ') || 'none'}` : `it has ${known.length}, e.g. ${known.slice(0, 8).join(', ')}`;
      findings.push(finding('unknown-attribute', name, logicalId, path, `${how}: ${type} has no attribute "${attribute}" (${listed})`));
    }
  };
  const checkCondition = (logicalId: string, path: string, condition: unknown) => {
    if (typeof condition !== 'string') return;
    if (!(condition in conditions)) findings.push(finding('unresolved-condition', name, logicalId, path, `condition "${condition}" is not declared in Conditions`));
  };

  const checkCalls = (logicalId: string, value: unknown, path: string, inCondition: boolean) => {
    visitIntrinsics(value, path, (call, at) => {
      if (!VALUE_FUNCTIONS.has(call.fn) && !(inCondition && CONDITION_FUNCTIONS.has(call.fn))) {
        findings.push(finding('unknown-function', name, logicalId, at, `"${call.fn}" is not an intrinsic function CloudFormation knows here`));
        return;
      }
      switch (call.fn) {
        case 'Ref':
          if (typeof call.arg !== 'string') findings.push(finding('unresolved-ref', name, logicalId, at, 'Ref takes the name of a resource or parameter (a string)'));
          else checkRefTarget(logicalId, at, call.arg, `Ref "${call.arg}"`);
          break;
        case 'Fn::GetAtt': {
          const target = getAttTarget(call.arg);
          if (!target) findings.push(finding('unresolved-getatt', name, logicalId, at, 'Fn::GetAtt takes [LogicalId, Attribute] or "LogicalId.Attribute"'));
          else checkGetAtt(logicalId, at, target.logicalId, target.attribute, `Fn::GetAtt ${target.logicalId}.${String(target.attribute)}`);
          break;
        }
        case 'Fn::Sub': {
          const [text, variables] = Array.isArray(call.arg) ? [call.arg[0], call.arg[1]] : [call.arg, undefined];
          if (typeof text !== 'string') break;
          const local = isObject(variables) ? variables : {};
          for (const variable of subVariables(text)) {
            if (variable in local) continue;
            const dot = variable.indexOf('.');
            if (dot > 0 && !PSEUDO_PARAMETERS.has(variable)) checkGetAtt(logicalId, at, variable.slice(0, dot), variable.slice(dot + 1), `Fn::Sub \${${variable}}`);
            else checkRefTarget(logicalId, at, variable, `Fn::Sub \${${variable}}`);
          }
          break;
        }
        case 'Fn::If':
          if (Array.isArray(call.arg)) checkCondition(logicalId, childPath(at, 0), call.arg[0]);
          break;
        case 'Fn::FindInMap':
          if (Array.isArray(call.arg) && typeof call.arg[0] === 'string' && !(call.arg[0] in (template.Mappings ?? {}))) {
            findings.push(finding('unresolved-mapping', name, logicalId, at, `mapping "${call.arg[0]}" is not declared in Mappings`));
          }
          break;
      }
    });
  };

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource)) continue;
    for (const [key, value] of Object.entries(resource)) {
      if (key === 'Type') continue;
      if (key === 'DependsOn') {
        const targets = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [value];
        targets.forEach((target, i) => {
          const path = Array.isArray(value) ? childPath('DependsOn', i) : 'DependsOn';
          if (typeof target !== 'string') findings.push(finding('unresolved-dependson', name, logicalId, path, 'DependsOn takes logical ids (strings)'));
          else if (target === logicalId) findings.push(finding('unresolved-dependson', name, logicalId, path, 'a resource cannot depend on itself'));
          else if (!isObject(resources[target])) findings.push(finding('unresolved-dependson', name, logicalId, path, `DependsOn "${target}" names no resource of this template`));
        });
        continue;
      }
      if (key === 'Condition') {
        checkCondition(logicalId, 'Condition', value);
        continue;
      }
      checkCalls(logicalId, value, key, false);
    }
  }
  for (const [outputId, output] of Object.entries(template.Outputs ?? {})) {
    if (!isObject(output)) continue;
    checkCalls(outputId, output.Value, 'Value', false);
    if (isObject(output.Export)) checkCalls(outputId, output.Export.Name, 'Export.Name', false);
    if (output.Condition !== undefined) checkCondition(outputId, 'Condition', output.Condition);
  }
  for (const [conditionId, condition] of Object.entries(conditions)) {
    checkCalls(conditionId, condition, '', true);
    // `{"Condition": "Other"}` inside a condition names another condition (it is no `Fn::` call).
    visitObjects(condition, '', (object, at) => {
      const keys = Object.keys(object);
      if (keys.length === 1 && keys[0] === 'Condition') checkCondition(conditionId, childPath(at, 'Condition'), object.Condition);
    });
  }
  return findings;
}

/**
 * What a call gives back, for the shape check: a Ref to a List parameter or AWS::NotificationARNs,
 * Fn::GetAZs, Fn::Split and Fn::Cidr give lists; Fn::GetAtt what the attribute's type is; Fn::Join,
 * Fn::Sub and the like a string; Fn::Select and Fn::FindInMap could give either.
 */
export function resultKindIn(template: Template, spec: ResourceSpec): (call: Intrinsic) => ResultKind {
  return (call) => {
    switch (call.fn) {
      case 'Ref': {
        if (call.arg === 'AWS::NoValue') return 'none';
        if (call.arg === 'AWS::NotificationARNs') return 'list';
        if (typeof call.arg !== 'string') return 'any';
        const parameter = template.Parameters?.[call.arg];
        if (isObject(parameter)) {
          const type = typeof parameter.Type === 'string' ? parameter.Type : '';
          return type.startsWith('List<') || type === 'CommaDelimitedList' || type.includes('<List<') ? 'list' : 'scalar';
        }
        return 'scalar';
      }
      case 'Fn::GetAtt': {
        const target = getAttTarget(call.arg);
        const resource = target ? template.Resources[target.logicalId] : undefined;
        const type = isObject(resource) ? resourceType(resource) : undefined;
        const attribute = type && typeof target?.attribute === 'string' ? spec.resource(type)?.attributes[target.attribute] : undefined;
        if (!attribute) return 'any';
        if (attribute.type.type === 'array') return 'list';
        if (attribute.type.type === 'json' || attribute.type.type === 'union') return 'any';
        return 'scalar';
      }
      case 'Fn::Sub':
      case 'Fn::Join':
      case 'Fn::Base64':
      case 'Fn::ImportValue':
      case 'Fn::ToJsonString':
      case 'Fn::Length':
        return 'scalar';
      case 'Fn::Split':
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
        return 'list';
      default:
        return 'any';
    }
  };
}
