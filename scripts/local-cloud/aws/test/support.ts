// Helpers for the local AWS stand-in tests: SDK client config, the real AWS CLI v2, a fake Lambda Invoke API.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsCli, LOCAL_ACCOUNT_ID, localClientConfig } from '../../../lib/local-aws';
import type { LocalAws } from '../server';

export const REGION = 'us-east-1';
export const ACCOUNT = LOCAL_ACCOUNT_ID;
// CLI output is arbitrary JSON; tests index into it freely.
export type Json = any;

export const sdkConfig = (aws: LocalAws) => ({ ...localClientConfig(REGION, aws.url), maxAttempts: 1 });

/** Runs Debian's AWS CLI v2 against the stand-in. */
export const cli = (aws: LocalAws, ...args: string[]): Promise<Json> => awsCli<Json>({ endpoint: aws.url, region: REGION }, ...args);

/** Runs the CLI expecting failure; resolves with its stderr. */
export async function cliError(aws: LocalAws, ...args: string[]): Promise<string> {
  try {
    await cli(aws, ...args);
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
  throw new Error(`aws ${args.join(' ')} unexpectedly succeeded`);
}

export interface Received { method: string; url: string; headers: IncomingHttpHeaders; body: string }

/** A tiny HTTP server recording requests; `status` picks the answer for the n-th request (0-based). */
export async function recorder(status: (n: number) => number = () => 202): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(status(received.length - 1)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
