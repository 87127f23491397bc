import { childPath, finding, intrinsicOf, isObject, propertiesOf, resourceEntries, resourceType, type Finding, type JsonObject, type Template } from './template';

/*
 * IAM policy statements in a template (inline policies of roles, users and groups, AWS::IAM::Policy,
 * AWS::IAM::ManagedPolicy, trust policies): actions of the form `service:Action`, and
 * `Resource: '*'` only for actions that cannot be scoped to a resource. Everything else with '*'
 * is a finding: least privilege is the project's rule (README, "IAM").
 */

/**
 * Actions AWS offers no resource-level permissions for (or, for the ENI actions, that Lambda
 * itself needs on any network interface), so `Resource: '*'` is the only way to allow them.
 * Keys in lower case (IAM compares actions without case). Add one only with its reason.
 */
export const RESOURCE_WILDCARD_ACTIONS: Readonly<Record<string, string>> = {
  'cloudwatch:putmetricdata':
    'CloudWatch metrics are not resources: PutMetricData has no resource type in the Service Authorization Reference; scope it with the cloudwatch:namespace condition key instead (this project does: RealTimeChat).',
  'cloudwatch:getmetricdata': 'No resource types for GetMetricData (Service Authorization Reference).',
  'cloudwatch:listmetrics': 'No resource types for ListMetrics (Service Authorization Reference).',
  'xray:puttracesegments': 'X-Ray ingestion has no resource-level permissions (AWSXRayDaemonWriteAccess grants it on *).',
  'xray:puttelemetryrecords': 'X-Ray ingestion has no resource-level permissions (AWSXRayDaemonWriteAccess grants it on *).',
  'ec2:createnetworkinterface':
    'A Lambda function in a VPC creates its own network interfaces with its execution role, in subnets and security groups Lambda picks at run time; AWSLambdaVPCAccessExecutionRole grants it on *.',
  'ec2:describenetworkinterfaces': 'EC2 Describe* actions have no resource-level permissions; needed by Lambda in a VPC.',
  'ec2:deletenetworkinterface': "Lambda in a VPC deletes the interfaces it created, whose ids are Lambda's, not the template's; AWSLambdaVPCAccessExecutionRole grants it on *.",
  'ec2:assignprivateipaddresses': 'Lambda in a VPC manages the addresses of its own interfaces; AWSLambdaVPCAccessExecutionRole grants it on *.',
  'ec2:unassignprivateipaddresses': 'Lambda in a VPC manages the addresses of its own interfaces; AWSLambdaVPCAccessExecutionRole grants it on *.',
  'ssm:describeparameters': 'DescribeParameters has no resource-level permissions (Service Authorization Reference).',
  'sts:getcalleridentity': 'GetCallerIdentity needs no permission and names no resource.',
};

/** `service:Action`, the service prefix in lower case, the action name letters and digits with `*`/`?` wildcards. */
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;

export interface PolicyDocumentAt {
  logicalId: string;
  path: string;
  document: unknown;
  /** A trust policy names principals, not resources. */
  kind: 'identity' | 'trust';
}

/** A statement as written, with where it is. */
export interface StatementAt {
  logicalId: string;
  path: string;
  statement: JsonObject;
}

/** Every policy document of the template, with its logical id and path. */
export function policyDocuments(template: Template): PolicyDocumentAt[] {
  const documents: PolicyDocumentAt[] = [];
  for (const [logicalId, resource] of resourceEntries(template)) {
    const type = resourceType(resource);
    const properties = propertiesOf(resource);
    if (type === 'AWS::IAM::Role' || type === 'AWS::IAM::User' || type === 'AWS::IAM::Group') {
      if (Array.isArray(properties.Policies)) {
        properties.Policies.forEach((policy, i) => {
          if (isObject(policy)) documents.push({ logicalId, path: `Properties.Policies[${i}].PolicyDocument`, document: policy.PolicyDocument, kind: 'identity' });
        });
      }
      if (type === 'AWS::IAM::Role') documents.push({ logicalId, path: 'Properties.AssumeRolePolicyDocument', document: properties.AssumeRolePolicyDocument, kind: 'trust' });
    }
    if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy' || type === 'AWS::IAM::RolePolicy' || type === 'AWS::IAM::UserPolicy' || type === 'AWS::IAM::GroupPolicy') {
      documents.push({ logicalId, path: 'Properties.PolicyDocument', document: properties.PolicyDocument, kind: 'identity' });
    }
  }
  return documents;
}

/** The statements of a document (a string document is JSON text; Statement may be one object or a list). */
export function statementsOf(at: PolicyDocumentAt): StatementAt[] {
  let document = at.document;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      return [];
    }
  }
  if (!isObject(document)) return [];
  const statement = document.Statement;
  const list = Array.isArray(statement) ? statement : [statement];
  return list.flatMap((s, i) => (isObject(s) ? [{ logicalId: at.logicalId, path: Array.isArray(statement) ? `${at.path}.Statement[${i}]` : `${at.path}.Statement`, statement: s }] : []));
}

/** A string or a list of them; intrinsics (known only at deploy) are left out. */
export function stringList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

export function checkIamPolicies(name: string, template: Template): Finding[] {
  const findings: Finding[] = [];
  for (const document of policyDocuments(template)) {
    if (document.document === undefined || intrinsicOf(document.document)) continue; // required-ness is the spec check's
    const statements = statementsOf(document);
    if (statements.length === 0) findings.push(finding('iam-statement', name, document.logicalId, document.path, 'the policy document has no statements'));
    for (const { logicalId, path, statement } of statements) findings.push(...checkStatement(name, logicalId, path, statement, document.kind));
  }
  return findings;
}

function checkStatement(name: string, logicalId: string, path: string, statement: JsonObject, kind: PolicyDocumentAt['kind']): Finding[] {
  const findings: Finding[] = [];
  const at = (key: string) => childPath(path, key);
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') findings.push(finding('iam-statement', name, logicalId, at('Effect'), `Effect must be "Allow" or "Deny", got ${JSON.stringify(statement.Effect)}`));
  const actionKey = statement.Action !== undefined ? 'Action' : statement.NotAction !== undefined ? 'NotAction' : undefined;
  if (!actionKey) findings.push(finding('iam-statement', name, logicalId, path, 'the statement has neither Action nor NotAction'));
  const actions = actionKey ? asList(statement[actionKey]) : [];
  actions.forEach((action, i) => {
    const actionPath = Array.isArray(statement[actionKey!]) ? childPath(at(actionKey!), i) : at(actionKey!);
    if (typeof action !== 'string') return; // an intrinsic: known at deploy time only
    if (action === '*') {
      if (statement.Effect === 'Allow') findings.push(finding('iam-action-wildcard', name, logicalId, actionPath, `${actionKey} "*" allows every action of every service`));
    } else if (!ACTION.test(action)) {
      findings.push(finding('iam-bad-action', name, logicalId, actionPath, `"${action}" is not an IAM action of the form service:Action (e.g. dynamodb:GetItem)`));
    }
  });
  if (kind === 'trust') {
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) findings.push(finding('iam-statement', name, logicalId, path, 'a trust policy statement needs a Principal'));
    return findings;
  }
  if (statement.Effect !== 'Allow') return findings;
  if (actionKey === 'NotAction') findings.push(finding('iam-not-action', name, logicalId, at('NotAction'), 'Allow with NotAction allows every action except the ones listed; name the actions instead'));
  if (statement.NotResource !== undefined) {
    findings.push(finding('iam-not-resource', name, logicalId, at('NotResource'), 'Allow with NotResource allows every resource except the ones listed; name the resources instead'));
    return findings;
  }
  if (statement.Resource === undefined) {
    findings.push(finding('iam-statement', name, logicalId, path, 'an identity policy statement needs a Resource'));
    return findings;
  }
  const resources = asList(statement.Resource);
  const wildcardIndex = resources.findIndex((r) => r === '*');
  if (wildcardIndex < 0 || actionKey !== 'Action') return findings;
  const resourcePath = Array.isArray(statement.Resource) ? childPath(at('Resource'), wildcardIndex) : at('Resource');
  for (const action of stringList(statement.Action)) {
    if (action === '*' || RESOURCE_WILDCARD_ACTIONS[action.toLowerCase()]) continue;
    findings.push(
      finding('iam-resource-wildcard', name, logicalId, resourcePath, `Resource "*" for ${action}, which is not on the list of actions that cannot be scoped to a resource (RESOURCE_WILDCARD_ACTIONS): name its resources`),
    );
  }
  return findings;
}

/**
 * The Allow statements that apply to a role: its inline policies, and the AWS::IAM::Policy and
 * AWS::IAM::ManagedPolicy resources of the template attached to it. (Managed policies by ARN are
 * AWS's or another stack's; their content is not in the template.)
 */
export function roleAllowStatements(template: Template, roleLogicalId: string): StatementAt[] {
  const isRef = (value: unknown, target: string) => intrinsicOf(value)?.fn === 'Ref' && intrinsicOf(value)?.arg === target;
  const role = template.Resources[roleLogicalId];
  const managedByRole = isObject(role) ? asList(propertiesOf(role).ManagedPolicyArns) : [];
  const attached = (policyId: string, policy: JsonObject) =>
    asList(propertiesOf(policy).Roles).some((r) => isRef(r, roleLogicalId)) || managedByRole.some((arn) => isRef(arn, policyId));
  const documents = policyDocuments(template).filter((d) => {
    if (d.kind !== 'identity') return false;
    if (d.logicalId === roleLogicalId) return true;
    const resource = template.Resources[d.logicalId];
    return isObject(resource) && resourceType(resource) !== 'AWS::IAM::Role' && attached(d.logicalId, resource);
  });
  return documents.flatMap(statementsOf).filter((s) => s.statement.Effect === 'Allow');
}
