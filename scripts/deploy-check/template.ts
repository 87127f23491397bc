/*
 * The vocabulary every check shares: a CloudFormation template read without trusting its shape,
 * intrinsic functions, pseudo parameters, and the one finding format all checks report in.
 */

/** Any JSON object; templates are read as `unknown` and narrowed with the guards below. */
export type JsonObject = Record<string, unknown>;

export interface Template {
  AWSTemplateFormatVersion?: unknown;
  Description?: unknown;
  Metadata?: unknown;
  Transform?: unknown;
  Parameters?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

/**
 * One problem, named so that it can be found without the checker: the template (service and
 * stage), the logical id (a resource, output or parameter; `-` for the template itself or for a
 * check across templates) and the path inside it.
 */
export interface Finding {
  /** A stable id of the check, e.g. `unknown-property`, for grouping and tests. */
  rule: string;
  template: string;
  logicalId: string;
  path: string;
  /** The whole line: `<template> <logicalId> <path>: <what is wrong>`. */
  message: string;
}

export function finding(rule: string, template: string, logicalId: string, path: string, detail: string): Finding {
  return { rule, template, logicalId, path, message: `${template} ${logicalId} ${path || '(top level)'}: ${detail}` };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a.b`, `a[0]`: the path notation of every message. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** The pseudo parameters CloudFormation defines for every stack (Ref targets that need no declaration). */
export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** Intrinsic functions allowed where a property value is expected. */
export const VALUE_FUNCTIONS: ReadonlySet<string> = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::Select',
  'Fn::Split',
  'Fn::GetAZs',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Transform',
]);

/** Functions that only make sense inside Conditions. */
export const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set(['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not']);

export interface Intrinsic {
  fn: string;
  arg: unknown;
}

/**
 * The intrinsic function call a value is, if it is one: an object with exactly one key that is
 * `Ref` or starts with `Fn::`. (An object with more keys is plain data; CloudFormation reads it so.)
 */
export function intrinsicOf(value: unknown): Intrinsic | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const fn = keys[0];
  if (fn !== 'Ref' && !fn.startsWith('Fn::')) return undefined;
  return { fn, arg: value[fn] };
}

/** `{"Ref": "AWS::NoValue"}`: the property is left out. */
export function isNoValue(value: unknown): boolean {
  const call = intrinsicOf(value);
  return call?.fn === 'Ref' && call.arg === 'AWS::NoValue';
}

/** The resources of a template as objects; a resource that is not an object is reported by the validator. */
export function resourceEntries(template: Template): Array<[string, JsonObject]> {
  return Object.entries(template.Resources).filter((entry): entry is [string, JsonObject] => isObject(entry[1]));
}

export function resourceType(resource: JsonObject): string | undefined {
  return typeof resource.Type === 'string' ? resource.Type : undefined;
}

export function propertiesOf(resource: JsonObject): JsonObject {
  return isObject(resource.Properties) ? resource.Properties : {};
}

/** Reads a parsed JSON document as a template, or says why it is not one. */
export function asTemplate(document: unknown): Template | string {
  if (!isObject(document)) return 'the document is not a JSON object';
  if (!isObject(document.Resources)) return 'the template has no Resources object';
  for (const section of ['Parameters', 'Mappings', 'Conditions', 'Outputs'] as const) {
    if (document[section] !== undefined && !isObject(document[section])) return `${section} is not an object`;
  }
  return document as unknown as Template;
}

/** What a value is, for messages: `a list`, `Fn::Join`, `the string "abc"`. */
export function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const call = intrinsicOf(value);
  if (call) return call.fn;
  if (isObject(value)) return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
