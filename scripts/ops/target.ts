import fs from 'node:fs';
import path from 'node:path';
import { NameQualifierError, stageNames, type DeploymentNames } from '@shared/platform/config/deployment-names';
import { DEFAULT_REGION, localCredentials } from '../lib/local-aws';
import type { Endpoints } from '../lib/local-stack';
import { LOCAL_ENDPOINTS_FILE } from '../lib/paths';
import { UsageError } from './output';

/** What `.local/endpoints.json` holds (the local stack writes it once ready). */
export type LocalEndpoints = Endpoints & { dashboard?: string };

export type AwsService = 'ssm' | 'sns' | 'cloudwatch' | 'logs' | 'dynamodb' | 'cognito' | 'apigatewayv2';

export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

/**
 * Where the ops commands act: the local stack (its endpoints file) or an AWS account through the
 * default credential chain. Commands ask it for SDK client settings and never branch on the
 * endpoint themselves, except where AWS and the stand-ins differ on purpose (see docs/operations.md).
 */
export interface Target {
  local: boolean;
  stage: string;
  region: string;
  /**
   * The account-unique names of this stage (tables, topics, SSM parameters, alarms), by the rule the
   * deployment follows: the guide's names for dev, `<name>-<stage>` and `/<stage>/…` otherwise, or
   * what `--name-qualifier` says (shared/platform/src/config/deployment-names.ts).
   */
  names: DeploymentNames;
  /** Present in local mode. */
  endpoints?: LocalEndpoints;
  client(service: AwsService): ClientConfig;
  describe(): string;
}

export class TargetError extends Error {}

export function resolveTarget(o: { local?: boolean; endpoints?: string; stage?: string; region?: string; nameQualifier?: string }): Target {
  if (o.local || o.endpoints) return localTarget(o.endpoints ?? LOCAL_ENDPOINTS_FILE, o.nameQualifier);
  const region = o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  const stage = o.stage ?? 'dev';
  const names = namesOf(stage, o.nameQualifier);
  return {
    local: false,
    stage,
    region,
    names,
    client: () => ({ region }),
    describe: () => `AWS ${region}, stage ${stage}${o.nameQualifier === undefined ? '' : `, name qualifier ${names.qualifier}`}`,
  };
}

function namesOf(stage: string, nameQualifier: string | undefined): DeploymentNames {
  try {
    return stageNames(stage, nameQualifier);
  } catch (err) {
    if (err instanceof NameQualifierError) throw new UsageError(`--name-qualifier: ${err.message}`);
    throw err;
  }
}

function localTarget(file: string, nameQualifier: string | undefined): Target {
  let endpoints: LocalEndpoints;
  try {
    endpoints = JSON.parse(fs.readFileSync(file, 'utf8')) as LocalEndpoints;
  } catch {
    throw new TargetError(`No local stack endpoints at ${file}: start the stack with \`npm start\` (it writes that file once ready), or pass --endpoints <file>.`);
  }
  const endpointOf: Record<AwsService, string | undefined> = {
    ssm: endpoints.ssm,
    sns: endpoints.sns,
    cloudwatch: endpoints.cloudwatch,
    logs: endpoints.logs,
    dynamodb: endpoints.dynamodb,
    cognito: endpoints.cognito,
    apigatewayv2: undefined,
  };
  const stage = endpoints.stage ?? 'dev';
  return {
    local: true,
    stage,
    region: endpoints.region,
    // The local stack names things by its stage, as a deployment of that stage would.
    names: namesOf(stage, nameQualifier),
    endpoints,
    client: (service) => ({ region: endpoints.region, endpoint: endpointOf[service], credentials: localCredentials(), maxAttempts: 2 }),
    describe: () => `local stack (${path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file)})`,
  };
}
