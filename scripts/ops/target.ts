import fs from 'node:fs';
import path from 'node:path';
import type { Endpoints } from '../local/stack';

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
  /** Present in local mode. */
  endpoints?: LocalEndpoints;
  client(service: AwsService): ClientConfig;
  describe(): string;
}

export const DEFAULT_ENDPOINTS_FILE = path.resolve(__dirname, '../../.local/endpoints.json');

export class TargetError extends Error {}

export function resolveTarget(o: { local?: boolean; endpoints?: string; stage?: string; region?: string }): Target {
  if (o.local || o.endpoints) return localTarget(o.endpoints ?? DEFAULT_ENDPOINTS_FILE);
  const region = o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'ap-south-1';
  const stage = o.stage ?? 'dev';
  return {
    local: false,
    stage,
    region,
    client: () => ({ region }),
    describe: () => `AWS ${region}, stage ${stage}`,
  };
}

function localTarget(file: string): Target {
  let endpoints: LocalEndpoints;
  try {
    endpoints = JSON.parse(fs.readFileSync(file, 'utf8')) as LocalEndpoints;
  } catch {
    throw new TargetError(`No local stack endpoints at ${file}: start the stack with \`npm start\` (it writes that file once ready), or pass --endpoints <file>.`);
  }
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const endpointOf: Record<AwsService, string | undefined> = {
    ssm: endpoints.ssm,
    sns: endpoints.sns,
    cloudwatch: endpoints.cloudwatch,
    logs: endpoints.logs,
    dynamodb: endpoints.dynamodb,
    cognito: endpoints.cognito,
    apigatewayv2: undefined,
  };
  return {
    local: true,
    stage: endpoints.stage ?? 'dev',
    region: endpoints.region,
    endpoints,
    client: (service) => ({ region: endpoints.region, endpoint: endpointOf[service], credentials, maxAttempts: 2 }),
    describe: () => `local stack (${path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file)})`,
  };
}
