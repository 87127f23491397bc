/**
 * A local Cognito user pool for the local stack and for integration tests:
 * cognito-local 5.3.0 as a child process (cwd = dataDir, so its `.cognito/` lives there), seeded
 * with one pool in real region format and one public app client, behind a small proxy that adds what
 * cognito-local lacks (ResendConfirmationCode, GlobalSignOut, AdminUserGlobalSignOut, refresh-token
 * revocation) and answers like Cognito where cognito-local differs. See proxy.ts.
 *
 * Tokens carry `iss = https://cognito-idp.<region>.amazonaws.com/<userPoolId>`, so aws-jwt-verify's
 * CognitoJwtVerifier accepts them once given the JWKS: `verifier.cacheJwks(await (await fetch(jwksUrl)).json())`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';
import { requestJson } from '../../lib/http';
import { LOCAL_CONFIRMATION_CODE } from '../../lib/local-aws';
import { freePort } from '../../local/processes';
import { createProxyHandler } from './proxy';
import { assertRegion, issuerDomain, LOCAL_CLIENT_ID, localUserPoolId, PASSWORD_POLICY, writeSeed } from './seed';
import { JwtChecker, TokenLedger } from './tokens';

export interface LocalCognito {
  /** The endpoint clients use (the proxy), e.g. http://127.0.0.1:9229 */
  url: string;
  userPoolId: string;
  clientId: string;
  /** https://cognito-idp.<region>.amazonaws.com/<userPoolId>, the `iss` of every token */
  issuer: string;
  /** <url>/<userPoolId>/.well-known/jwks.json (served through the proxy) */
  jwksUrl: string;
  stop(): Promise<void>;
}

export interface StartLocalCognitoOptions {
  /** Port of the proxy (the public endpoint); 0 picks a free one. */
  port: number;
  /** Interface the proxy listens on; default 127.0.0.1. */
  host?: string;
  region: string;
  /** A fresh folder per run; the caller creates and removes it. */
  dataDir: string;
  /** Every confirmation code; default LOCAL_CONFIRMATION_CODE ('123456'). */
  confirmationCode?: string;
  /** Receives cognito-local's output (codes included) and the proxy's notes, one line at a time. */
  log?: (line: string) => void;
  /**
   * The app client's PreventUserExistenceErrors: false (default) = LEGACY, i.e. unknown users get
   * UserNotFoundException; true = ENABLED, i.e. Cognito hides whether an account exists.
   */
  preventUserExistenceErrors?: boolean;
  /** How long to wait for cognito-local to answer; default 30 s. */
  startTimeoutMs?: number;
}

export { LOCAL_CLIENT_ID, localUserPoolId, PASSWORD_POLICY } from './seed';

const INTERNAL_HOST = '127.0.0.1';
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export async function startLocalCognito(opts: StartLocalCognitoOptions): Promise<LocalCognito> {
  assertRegion(opts.region);
  const log = opts.log ?? (() => undefined);
  const host = opts.host ?? '127.0.0.1';
  const confirmationCode = opts.confirmationCode ?? LOCAL_CONFIRMATION_CODE;
  const preventUserExistenceErrors = opts.preventUserExistenceErrors ?? false;
  const userPoolId = localUserPoolId(opts.region);
  const clientId = LOCAL_CLIENT_ID;
  const domain = issuerDomain(opts.region);

  await writeSeed({ dataDir: opts.dataDir, region: opts.region, userPoolId, clientId, preventUserExistenceErrors });
  const child = await startCognitoLocal({
    dataDir: opts.dataDir,
    confirmationCode,
    log,
    timeoutMs: opts.startTimeoutMs ?? 30_000,
  });

  let server: http.Server | undefined;
  try {
    const jwks = (await getJson(`http://${INTERNAL_HOST}:${child.port}/${userPoolId}/.well-known/jwks.json`)) as ConstructorParameters<
      typeof JwtChecker
    >[0];
    let url = '';
    server = http.createServer(
      createProxyHandler({
        upstreamHost: INTERNAL_HOST,
        upstreamPort: child.port,
        issuerDomain: domain,
        checker: new JwtChecker(jwks),
        ledger: new TokenLedger(),
        confirmationCode,
        passwordPolicy: PASSWORD_POLICY,
        preventUserExistenceErrors,
        knownClients: new Map([[clientId, userPoolId]]),
        publicUrl: () => url,
        log,
      }),
    );
    server.keepAliveTimeout = 5_000;
    const port = await listen(server, opts.port, host);
    url = `http://${urlHost(host)}:${port}`;
    log(`Local Cognito on ${url} (user pool ${userPoolId}, client ${clientId}; cognito-local on :${child.port})`);

    const srv = server;
    let stopping: Promise<void> | undefined;
    return {
      url,
      userPoolId,
      clientId,
      issuer: `${domain}/${userPoolId}`,
      jwksUrl: `${url}/${userPoolId}/.well-known/jwks.json`,
      stop: () =>
        (stopping ??= (async () => {
          await closeServer(srv);
          await child.stop();
        })()),
    };
  } catch (e) {
    if (server?.listening) await closeServer(server);
    await child.stop();
    throw e;
  }
}

interface RunningCognitoLocal {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function startCognitoLocal(o: {
  dataDir: string;
  confirmationCode: string;
  log: (line: string) => void;
  timeoutMs: number;
}): Promise<RunningCognitoLocal> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await spawnCognitoLocal({ ...o, port });
    } catch (e) {
      lastError = e;
      // Another process may have taken the port between our probe and cognito-local's bind.
      if (!(e instanceof Error && /EADDRINUSE/.test(e.message))) throw e;
    }
  }
  throw lastError;
}

function spawnCognitoLocal(o: {
  dataDir: string;
  confirmationCode: string;
  log: (line: string) => void;
  timeoutMs: number;
  port: number;
}): Promise<RunningCognitoLocal> {
  const bin = require.resolve('cognito-local/lib/bin/start.js');
  // A thin wrapper: exit when our stdin closes, i.e. when the parent is gone even if it was killed
  // without a chance to stop us, so no cognito-local is left holding a port.
  const wrapper = [
    "process.stdin.on('end', () => process.exit(0));",
    "process.stdin.on('error', () => process.exit(0));",
    'process.stdin.resume();',
    "process.on('SIGTERM', () => process.exit(0));",
    "process.on('SIGINT', () => process.exit(0));",
    `require(${JSON.stringify(bin)});`,
  ].join('\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(o.port),
    HOST: INTERNAL_HOST,
    CODE: o.confirmationCode,
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    NODE_NO_WARNINGS: '1',
  };
  delete env.DEBUG;
  delete env.COGNITO_LOCAL_DEVMODE;
  delete env.NODE_OPTIONS;

  const child = spawn(process.execPath, ['-e', wrapper], { cwd: o.dataDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const { stdin, stdout, stderr } = child;
  if (!stdin || !stdout || !stderr) throw new Error('cognito-local: no stdio pipes');
  const recent: string[] = [];
  const onLine = (line: string) => {
    const clean = line.replace(ANSI_COLOUR, '').trimEnd();
    if (!clean.trim() || /^[\s│╭╮╰╯─]*$/.test(clean)) return; // blank lines and box borders
    recent.push(clean);
    if (recent.length > 20) recent.shift();
    o.log(clean);
  };
  readline.createInterface({ input: stdout }).on('line', onLine);
  readline.createInterface({ input: stderr }).on('line', onLine);
  stdin.on('error', () => undefined);

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const killOnExit = () => {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    stdin.destroy();
  };

  return new Promise<RunningCognitoLocal>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      void stop().then(() => reject(new Error(`cognito-local did not start: ${why}\n${recent.join('\n')}`)));
    };
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code, signal) => {
      // give readline a moment to deliver the last lines (EADDRINUSE is reported there)
      setTimeout(() => fail(`exited with ${signal ?? code}`), 50);
    });
    const deadline = Date.now() + o.timeoutMs;
    const poll = () => {
      if (settled) return;
      if (Date.now() > deadline) return fail(`no answer on :${o.port} within ${o.timeoutMs} ms`);
      const req = http.get({ host: INTERNAL_HOST, port: o.port, path: '/health', timeout: 1_000 }, (res) => {
        res.resume();
        if (res.statusCode === 200 && !settled) {
          settled = true;
          resolve({ port: o.port, process: child, stop });
        } else setTimeout(poll, 50);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => setTimeout(poll, 50));
    };
    poll();
  });
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.removeListener('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function getJson(url: string): Promise<unknown> {
  const answer = await requestJson(url);
  if (answer.status !== 200) throw new Error(`GET ${url}: HTTP ${answer.status}`);
  return JSON.parse(answer.text);
}
