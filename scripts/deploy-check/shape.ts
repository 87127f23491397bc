import { acceptedTypes, type Property, type PropertyType, type ResourceSpec } from './spec';
import { childPath, describeJsonKind, intrinsicOf, isNoValue, isObject, type Intrinsic, type JsonObject } from './template';

/*
 * Is a property value of the shape the resource specification says: primitives, lists, maps and
 * nested property types, with intrinsic functions accepted where they can give such a value
 * (a Ref to a List parameter gives a list, Fn::Join a string, Fn::GetAtt whatever the attribute
 * is). CloudFormation turns scalars into the primitive type a property wants ("30" for an
 * Integer, 30 for a String, "true" for a Boolean), so those pass, as they do on deploy.
 */

/** What an intrinsic call gives back, as far as shape goes (`none`: AWS::NoValue, the property is left out). */
export type ResultKind = 'scalar' | 'list' | 'any' | 'none';

export interface ShapeContext {
  spec: ResourceSpec;
  resultKind(call: Intrinsic): ResultKind;
}

export interface ShapeProblem {
  rule: 'wrong-shape' | 'unknown-property' | 'missing-required' | 'bad-value';
  path: string;
  detail: string;
}

/** A set of properties (a resource's or a nested type's): every key known, every required one there, each of its shape. */
export function checkProperties(values: JsonObject, properties: Record<string, Property>, path: string, ctx: ShapeContext): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  for (const [key, value] of Object.entries(values)) {
    const property = properties[key];
    if (!property) {
      const hint = closest(key, Object.keys(properties));
      problems.push({ rule: 'unknown-property', path: childPath(path, key), detail: `unknown property "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
      continue;
    }
    if (isNoValue(value)) continue;
    problems.push(...checkValue(value, acceptedTypes(property), childPath(path, key), ctx));
  }
  for (const [key, property] of Object.entries(properties)) {
    if (property.required && (values[key] === undefined || isNoValue(values[key]))) {
      problems.push({ rule: 'missing-required', path: childPath(path, key), detail: `required property "${key}" is missing` });
    }
  }
  return problems;
}

/** A value against the types it may have (several: a union, or the current and earlier types of a property). */
export function checkValue(value: unknown, types: readonly PropertyType[], path: string, ctx: ShapeContext): ShapeProblem[] {
  const all = types.flatMap((t) => (t.type === 'union' ? t.types : [t]));
  // A list is checked against the list type, an object against the structure, even where the
  // specification also allows Json (its catch-all for what a schema once allowed as "object").
  const sameKind = all.filter((t) => kindOfType(t) === kindOfValue(value));
  const flat = sameKind.length ? sameKind : all;
  if (flat.length === 1) return checkType(value, flat[0], path, ctx);
  const outcomes = flat.map((t) => checkType(value, t, path, ctx));
  if (outcomes.some((p) => p.length === 0)) return [];
  if (sameKind.length) return outcomes[0]; // the first of the value's own kind (an object against the structure)
  return [wrongShape(path, flat.map((t) => ctx.spec.describe(t)).join(' | '), value)];
}

function checkType(value: unknown, type: PropertyType, path: string, ctx: ShapeContext): ShapeProblem[] {
  if (type.type === 'union') return checkValue(value, type.types, path, ctx);
  const call = intrinsicOf(value);
  if (call) return checkIntrinsic(call, type, path, ctx);
  switch (type.type) {
    case 'json':
      return [];
    case 'string':
    case 'date-time':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return type.type === 'string' ? checkAllowed(String(value), type.allowedValues, path) : [];
      }
      return [wrongShape(path, ctx.spec.describe(type), value)];
    case 'number':
    case 'integer': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isNaN(number) || (type.type === 'integer' && !Number.isInteger(number))) return [wrongShape(path, ctx.spec.describe(type), value)];
      return type.type === 'integer' ? checkAllowed(number, type.allowedValues, path) : [];
    }
    case 'boolean':
      if (typeof value === 'boolean' || value === 'true' || value === 'false') return [];
      return [wrongShape(path, 'Boolean', value)];
    case 'null':
      return value === null ? [] : [wrongShape(path, 'Null', value)];
    case 'tag':
      if (!isObject(value)) return [wrongShape(path, 'Tag', value)];
      return checkProperties(value, TAG_PROPERTIES, path, ctx);
    case 'array':
      if (!Array.isArray(value)) return [wrongShape(path, ctx.spec.describe(type), value)];
      return value.flatMap((element, i) => (isNoValue(element) ? [] : checkType(element, type.element, childPath(path, i), ctx)));
    case 'map':
      if (!isObject(value)) return [wrongShape(path, ctx.spec.describe(type), value)];
      return Object.entries(value).flatMap(([key, element]) => (isNoValue(element) ? [] : checkType(element, type.element, childPath(path, key), ctx)));
    case 'ref':
      if (!isObject(value)) return [wrongShape(path, ctx.spec.describe(type), value)];
      return checkProperties(value, ctx.spec.definition(type).properties, path, ctx);
  }
}

/** Fn::If is checked branch by branch; any other call by what it gives back. */
function checkIntrinsic(call: Intrinsic, type: PropertyType, path: string, ctx: ShapeContext): ShapeProblem[] {
  if (call.fn === 'Fn::If' && Array.isArray(call.arg) && call.arg.length === 3) {
    return [1, 2].flatMap((i) => {
      const branch = (call.arg as unknown[])[i];
      return isNoValue(branch) ? [] : checkType(branch, type, `${path}.Fn::If[${i}]`, ctx);
    });
  }
  const gives = ctx.resultKind(call);
  const wants = kindOfType(type);
  if (gives === 'any' || gives === 'none' || wants === 'any') return [];
  if (gives === wants) return [];
  // A scalar where a list, map or structure is wanted, or a list where a scalar or structure is.
  return [{ rule: 'wrong-shape', path, detail: `expects ${ctx.spec.describe(type)}, got ${call.fn} (which gives ${gives === 'list' ? 'a list' : 'a single value'})` }];
}

type ValueKind = 'scalar' | 'list' | 'object' | 'any';

function kindOfType(type: PropertyType): ValueKind {
  switch (type.type) {
    case 'array':
      return 'list';
    case 'map':
    case 'ref':
    case 'tag':
      return 'object';
    case 'json':
    case 'union':
      return 'any';
    default:
      return 'scalar';
  }
}

function kindOfValue(value: unknown): ValueKind {
  if (Array.isArray(value)) return 'list';
  if (intrinsicOf(value)) return 'any';
  if (isObject(value)) return 'object';
  return 'scalar';
}

function checkAllowed<T extends string | number>(value: T, allowed: readonly T[] | undefined, path: string): ShapeProblem[] {
  if (!allowed?.length || allowed.includes(value)) return [];
  return [{ rule: 'bad-value', path, detail: `${JSON.stringify(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` }];
}

function wrongShape(path: string, expected: string, value: unknown): ShapeProblem {
  return { rule: 'wrong-shape', path, detail: `expects ${expected}, got ${describeJsonKind(value)}` };
}

/** The legacy `tag` type of the specification: a Key and a Value, both strings. */
const TAG_PROPERTIES: Record<string, Property> = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

/** The known name a misspelt one was most likely meant to be (same letters but case, or at most 2 edits away). */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    if (candidate.toLowerCase() === name.toLowerCase()) return candidate;
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
