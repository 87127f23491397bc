import fs from 'node:fs';
import path from 'node:path';
import { readEntry, zipEntries } from '../bench/zip';
import { getAttTarget } from './references';
import { asTemplate, intrinsicOf, isObject, propertiesOf, resourceEntries, resourceType, type Template } from './template';

/*
 * One packaged service read back from what `serverless package` wrote: the template, and for each
 * function its Lambda resource, role, environment and the bundled handler from its zip.
 */

export interface PackagedFunction {
  /** The function's key in serverless.yml, e.g. `signUp`. */
  name: string;
  /** Its AWS::Lambda::Function resource. */
  logicalId: string;
  /** The AWS::IAM::Role of the template its Role property points at, if it is one. */
  roleLogicalId?: string;
  /** Environment.Variables as the template has them (strings, or intrinsics). */
  environment: Record<string, unknown>;
  /** The handler's bundled JavaScript, from the zip. */
  code?: string;
  artifact: string;
}

export interface PackagedStack {
  service: string;
  stage: string;
  /** How messages name it: `authService (dev)`. */
  name: string;
  /** The CloudFormation stack name the framework deploys it as. */
  stackName: string;
  template: Template;
  functions: PackagedFunction[];
}

interface ServerlessState {
  service: {
    service: string;
    provider: { stage: string; stackName?: string };
    functions?: Record<string, { handler?: string; name?: string; package?: { artifact?: string } }>;
  };
}

export function readPackagedStack(dir: string, service: string, stage: string): PackagedStack {
  const template = asTemplate(readJson(path.join(dir, 'cloudformation-template-update-stack.json')));
  if (typeof template === 'string') throw new Error(`${dir}: ${template}`);
  const state = readJson(path.join(dir, 'serverless-state.json')) as ServerlessState;
  const lambdas = resourceEntries(template).filter(([, r]) => resourceType(r) === 'AWS::Lambda::Function');
  const functions = Object.entries(state.service.functions ?? {}).map(([name, fn]): PackagedFunction => {
    const [logicalId, resource] = lambdas.find(([, r]) => propertiesOf(r).FunctionName === fn.name) ?? [`(no Lambda resource for ${name})`, {}];
    const properties = propertiesOf(resource);
    const role = getAttTarget(intrinsicOf(properties.Role)?.arg);
    const variables = isObject(properties.Environment) && isObject(properties.Environment.Variables) ? properties.Environment.Variables : {};
    const artifact = path.join(dir, path.basename(fn.package?.artifact ?? `${name}.zip`));
    return { name, logicalId, roleLogicalId: role?.logicalId, environment: variables, code: fn.handler ? handlerCode(artifact, fn.handler) : undefined, artifact };
  });
  return { service, stage, name: `${service} (${stage})`, stackName: state.service.provider.stackName ?? `${state.service.service}-${stage}`, template, functions };
}

/** `src/handlers/signUp.handler` → the text of `src/handlers/signUp.js` (or .mjs/.cjs) in the zip. */
function handlerCode(zipFile: string, handler: string): string | undefined {
  if (!fs.existsSync(zipFile)) return undefined;
  const zip = fs.readFileSync(zipFile);
  const base = handler.slice(0, handler.lastIndexOf('.'));
  const entry = zipEntries(zip).find((e) => ['.js', '.mjs', '.cjs'].some((ext) => e.name === `${base}${ext}`));
  return entry ? readEntry(zip, entry).toString('utf8') : undefined;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
