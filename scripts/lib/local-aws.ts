import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/*
 * The local stand-ins for AWS (DynamoDB Local, cognito-local, scripts/local-cloud/aws) as every
 * script and test reaches them: one region, one account id, dummy credentials, the confirmation
 * code cognito-local hands out, and the standard AWS_ENDPOINT_URL_<SERVICE> variables that point
 * the SDK, the AWS CLI and serverless at them.
 */

/** The region the project deploys to unless told otherwise, and the local stack's. */
export const DEFAULT_REGION = 'ap-south-1';

/** The account id the stand-ins write into ARNs. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** The code cognito-local sends for every confirmation (`CHAT_CONFIRMATION_CODE` changes it for `npm start`). */
export const LOCAL_CONFIRMATION_CODE = '123456';

// The stand-ins accept any credentials; the SDK and the CLI insist on some.
const DUMMY_KEY = 'local';

/** Dummy credentials for an SDK client (a fresh object each time: the SDK may annotate what it is given). */
export const localCredentials = () => ({ accessKeyId: DUMMY_KEY, secretAccessKey: DUMMY_KEY });

/** The same credentials as environment variables, for child processes (functions, the AWS CLI, serverless). */
export const LOCAL_CREDENTIALS_ENV = { AWS_ACCESS_KEY_ID: DUMMY_KEY, AWS_SECRET_ACCESS_KEY: DUMMY_KEY } as const;

/** SDK client settings for the stand-in at `endpoint`. */
export const localClientConfig = (region: string, endpoint: string) => ({ region, endpoint, credentials: localCredentials() });

/** Where each stand-in listens, as the local stack's endpoints file names them. */
export interface StandInEndpoints {
  dynamodb: string;
  cognito: string;
  ssm: string;
  sns: string;
  cloudwatch: string;
  logs: string;
}

/** AWS_ENDPOINT_URL_<SERVICE> for every stand-in: how the SDK's default chain is pointed at them, with no local code path in the functions. */
export function endpointEnv(e: StandInEndpoints): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb,
    AWS_ENDPOINT_URL_SSM: e.ssm,
    AWS_ENDPOINT_URL_SNS: e.sns,
    AWS_ENDPOINT_URL_CLOUDWATCH: e.cloudwatch,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: e.logs,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: e.cognito,
  };
}

const run = promisify(execFile);
const AWS_CLI_ENV = {
  PATH: '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  ...LOCAL_CREDENTIALS_ENV,
  AWS_PAGER: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

/**
 * Runs Debian's AWS CLI v2 (`/usr/bin/aws`; the pyenv `aws` on PATH is a different v1) against a
 * stand-in, with no user configuration, and parses its JSON output ({} when it printed nothing).
 */
export async function awsCli<T = unknown>(at: { endpoint: string; region: string }, ...args: string[]): Promise<T> {
  const { stdout } = await run('/usr/bin/aws', [...args, '--endpoint-url', at.endpoint, '--region', at.region, '--output', 'json'], { env: AWS_CLI_ENV });
  return (stdout.trim() ? JSON.parse(stdout) : {}) as T;
}
