import { checkIamPolicies } from './iam';
import { checkReferences, resultKindIn } from './references';
import { checkProperties, closest } from './shape';
import { loadSpec, type ResourceSpec } from './spec';
import { asTemplate, finding, isObject, type Finding, type Template } from './template';

/*
 * One packaged template against AWS's resource specification: its sections, every resource's
 * type, attributes (DependsOn, DeletionPolicy, …) and properties (known, required, of the right
 * shape), the names it refers to, and its IAM policies. What `aws cloudformation deploy` would
 * refuse, found before anything is uploaded.
 */

const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Transform', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Resources', 'Outputs']);
const RESOURCE_KEYS = ['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy'];
const DELETION_POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
const UPDATE_REPLACE_POLICIES = ['Delete', 'Retain', 'Snapshot'];

/** Custom resources have no schema: their properties are the provider Lambda's business. */
function isCustomType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/**
 * Every finding for one template. `name` says which (e.g. `realTimeService (dev)`) in each
 * message; `document` is the parsed JSON of cloudformation-template-update-stack.json.
 */
export function validateTemplate(name: string, document: unknown, spec: ResourceSpec = loadSpec()): Finding[] {
  const template = asTemplate(document);
  if (typeof template === 'string') return [finding('not-a-template', name, '-', '', template)];
  return [...checkSections(name, template), ...checkResources(name, template, spec), ...checkReferences(name, template, spec), ...checkIamPolicies(name, template)];
}

function checkSections(name: string, template: Template): Finding[] {
  const findings: Finding[] = [];
  for (const section of Object.keys(template)) {
    if (!SECTIONS.has(section)) findings.push(finding('unknown-section', name, '-', section, `"${section}" is not a template section${hint(section, [...SECTIONS])}`));
  }
  if (Object.keys(template.Resources).length === 0) findings.push(finding('no-resources', name, '-', 'Resources', 'a template needs at least one resource'));
  for (const [id, parameter] of Object.entries(template.Parameters ?? {})) {
    if (!isObject(parameter) || typeof parameter.Type !== 'string') findings.push(finding('bad-parameter', name, id, 'Type', 'a parameter needs a Type'));
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (!isObject(output) || output.Value === undefined) findings.push(finding('bad-output', name, id, 'Value', 'an output needs a Value'));
    else if (output.Export !== undefined && (!isObject(output.Export) || output.Export.Name === undefined)) findings.push(finding('bad-output', name, id, 'Export.Name', 'an export needs a Name'));
  }
  return findings;
}

function checkResources(name: string, template: Template, spec: ResourceSpec): Finding[] {
  const findings: Finding[] = [];
  const ctx = { spec, resultKind: resultKindIn(template, spec) };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) findings.push(finding('bad-logical-id', name, logicalId, '', 'logical ids are letters and digits only'));
    if (!isObject(resource)) {
      findings.push(finding('bad-resource', name, logicalId, '', 'a resource must be an object with a Type'));
      continue;
    }
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.includes(key)) findings.push(finding('unknown-resource-key', name, logicalId, key, `"${key}" is not a resource attribute${hint(key, RESOURCE_KEYS)}`));
    }
    if (resource.DeletionPolicy !== undefined && !DELETION_POLICIES.includes(String(resource.DeletionPolicy))) {
      findings.push(finding('bad-value', name, logicalId, 'DeletionPolicy', `${JSON.stringify(resource.DeletionPolicy)} is not one of ${DELETION_POLICIES.join(', ')}`));
    }
    if (resource.UpdateReplacePolicy !== undefined && !UPDATE_REPLACE_POLICIES.includes(String(resource.UpdateReplacePolicy))) {
      findings.push(finding('bad-value', name, logicalId, 'UpdateReplacePolicy', `${JSON.stringify(resource.UpdateReplacePolicy)} is not one of ${UPDATE_REPLACE_POLICIES.join(', ')}`));
    }
    if (typeof resource.Type !== 'string') {
      findings.push(finding('bad-resource', name, logicalId, 'Type', 'a resource needs a Type'));
      continue;
    }
    if (isCustomType(resource.Type)) continue;
    const typeSpec = spec.resource(resource.Type);
    if (!typeSpec) {
      findings.push(finding('unknown-type', name, logicalId, 'Type', `"${resource.Type}" is not a CloudFormation resource type${hint(resource.Type, spec.resourceTypeNames())}`));
      continue;
    }
    if (resource.Properties !== undefined && !isObject(resource.Properties)) {
      findings.push(finding('wrong-shape', name, logicalId, 'Properties', 'Properties must be an object'));
      continue;
    }
    const problems = checkProperties(isObject(resource.Properties) ? resource.Properties : {}, typeSpec.properties, 'Properties', ctx);
    for (const p of problems) findings.push(finding(p.rule, name, logicalId, p.path, `${resource.Type}: ${p.detail}`));
  }
  return findings;
}

function hint(name: string, known: readonly string[]): string {
  const guess = closest(name, known);
  return guess ? ` (did you mean "${guess}"?)` : '';
}
