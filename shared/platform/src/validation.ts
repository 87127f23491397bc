import * as v from 'valibot';
import { badRequest } from './errors';

/*
 * Input schemas are valibot's: its functions are separate modules, so a bundle carries only the
 * checks it uses (~8 KB instead of zod's ~60 KB in every Lambda; see docs/benchmarks.md).
 * Services import `valibot` as `v` themselves and take the shared field shapes from here.
 */

/** A schema that accepts anything and, when it succeeds, yields a T. */
export type Schema<T> = v.GenericSchema<unknown, T>;

/**
 * Parses `value` with `schema`, turning the first problem into a 400 that names the field. Bodies
 * and frames are JSON objects, always (valibot's object schemas would take an array for one).
 */
export function validate<T>(schema: Schema<T>, value: unknown, where: 'body' | 'query' | 'path' | 'frame'): T {
  if ((where === 'body' || where === 'frame') && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw badRequest(`${where}: must be a JSON object`);
  }
  const result = v.safeParse(schema, value, { abortEarly: true, message: describeIssue });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issue.path?.map((item) => String(item.key)).join('.') || undefined;
  if (issue.expected === 'never' && field) throw badRequest(`Unknown field: ${field}`, field);
  throw badRequest(`${field ?? where}: ${issue.message}`, field ?? (where === 'body' || where === 'frame' ? undefined : where));
}

/**
 * What a client reads when a check without a message of its own fails: the field comes first
 * (`name: must not be empty`), so these say what the value must be.
 */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const { kind, type, expected, received, requirement, input } = issue;
  if (kind === 'schema') {
    if (received === 'undefined') return 'is required';
    switch (type) {
      case 'string':
        return 'must be a string';
      case 'boolean':
        return 'must be true or false';
      case 'number':
        return 'must be a number';
      case 'array':
      case 'tuple':
        return 'must be a list';
      case 'object':
      case 'strict_object':
      case 'record':
        return 'must be a JSON object';
      case 'picklist':
      case 'literal':
        return `must be ${expected?.replace(/^\((.*)\)$/, '$1').replaceAll(' | ', ' or ')}`;
      default:
        return 'has the wrong type';
    }
  }
  const unit = typeof input === 'string' ? 'characters' : 'items';
  switch (type) {
    case 'min_length':
      return requirement === 1 ? 'must not be empty' : `must have at least ${String(requirement)} ${unit}`;
    case 'max_length':
      return `must have at most ${String(requirement)} ${unit}`;
    case 'min_value':
      return `must be at least ${String(requirement)}`;
    case 'max_value':
      return `must be at most ${String(requirement)}`;
    case 'integer':
      return 'must be a whole number';
    case 'email':
      return 'must be a valid email address';
    case 'iso_timestamp':
      return 'must be an ISO 8601 timestamp';
    default:
      return 'is not valid';
  }
}

const ID = /^[A-Za-z0-9_.:@-]+$/;

/** Common field shapes. */
export const fields = {
  id: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(128), v.regex(ID, 'must be an id (letters, digits, _ . : @ -)')),
  /** A page size from the query string, `fallback` when absent. */
  limit: (max: number, fallback: number) =>
    v.optional(
      v.pipe(v.string(), v.description(`a whole number from 1 to ${max}`), v.transform(Number), v.number(), v.integer(), v.minValue(1), v.maxValue(max)),
      String(fallback),
    ),
  cursor: v.pipe(v.string(), v.minLength(1), v.maxLength(2048)),
};

/** True when the text holds ASCII control characters (tabs and newlines excluded). */
export const hasControlCharacters = (text: string) =>
  [...text].some((ch) => {
    const code = ch.charCodeAt(0);
    return (code < 32 && ch !== '\n' && ch !== '\t' && ch !== '\r') || code === 127;
  });
