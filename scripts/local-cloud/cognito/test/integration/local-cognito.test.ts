import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { LOCAL_CONFIRMATION_CODE, localClientConfig } from '../../../../lib/local-aws';
import { type LocalCognito, startLocalCognito } from '../..';

jest.setTimeout(60_000);

const REGION = 'eu-west-1';
const PASSWORD = 'Passw0rdOk';

/** pids of this process's children whose command line mentions cognito-local */
function cognitoChildren(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('cognito-local'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('startLocalCognito', () => {
  let dataDir: string;
  let cognito: LocalCognito;
  let client: CognitoIdentityProviderClient;
  const lines: string[] = [];
  let startMs = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'local-cognito-'));
    const t0 = Date.now();
    cognito = await startLocalCognito({ port: 0, region: REGION, dataDir, log: (l) => lines.push(l) });
    startMs = Date.now() - t0;
    client = new CognitoIdentityProviderClient(localClientConfig(REGION, cognito.url));
  });

  afterAll(async () => {
    client?.destroy();
    await cognito?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signUp = (email: string, password = PASSWORD) =>
    client.send(
      new SignUpCommand({
        ClientId: cognito.clientId,
        Username: email,
        Password: password,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'name', Value: 'Test User' },
        ],
      }),
    );
  const confirm = (email: string, code = LOCAL_CONFIRMATION_CODE) =>
    client.send(new ConfirmSignUpCommand({ ClientId: cognito.clientId, Username: email, ConfirmationCode: code }));
  const signIn = (email: string, password = PASSWORD) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: cognito.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
  const refresh = (refreshToken: string) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: cognito.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );

  it('describes itself: region-format pool id, real issuer, JWKS through the proxy', () => {
    expect(cognito.userPoolId).toBe(`${REGION}_LocalPool1`);
    expect(cognito.clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(cognito.issuer).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${REGION}_LocalPool1`);
    expect(cognito.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cognito.jwksUrl).toBe(`${cognito.url}/${cognito.userPoolId}/.well-known/jwks.json`);
    expect(startMs).toBeLessThan(15_000);
    // cognito-local keeps its files in dataDir/.cognito
    const pool = JSON.parse(readFileSync(path.join(dataDir, '.cognito', 'db', `${cognito.userPoolId}.json`), 'utf8'));
    expect(pool.Options.UsernameAttributes).toEqual(['email']);
  });

  it('signs up, prints the code, confirms and signs in; tokens pass aws-jwt-verify', async () => {
    const email = 'alice@example.com';
    const up = await signUp(email);
    expect(up.UserConfirmed).toBe(false);
    expect(up.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(up.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(lines.some((l) => l.includes('Code:') && l.includes('123456'))).toBe(true);

    expect(await errorOf(signIn(email))).toMatchObject({ name: 'UserNotConfirmedException' });
    expect(await errorOf(confirm(email, '000000'))).toMatchObject({ name: 'CodeMismatchException' });
    await confirm(email);

    const auth = await signIn(email);
    const result = auth.AuthenticationResult!;
    expect(result.AccessToken).toBeTruthy();
    expect(result.IdToken).toBeTruthy();
    expect(result.RefreshToken).toBeTruthy();
    expect(result.ExpiresIn).toBe(3600);
    expect(result.TokenType).toBe('Bearer');

    const verifier = CognitoJwtVerifier.create({ userPoolId: cognito.userPoolId, clientId: cognito.clientId, tokenUse: null });
    const jwks = (await (await fetch(cognito.jwksUrl)).json()) as Parameters<typeof verifier.cacheJwks>[0];
    verifier.cacheJwks(jwks);
    const access = await verifier.verify(result.AccessToken!);
    const id = await verifier.verify(result.IdToken!);
    expect(access.token_use).toBe('access');
    expect(access.iss).toBe(cognito.issuer);
    expect(id.token_use).toBe('id');
    expect(id.email).toBe(email);
    expect(id.sub).toBe(up.UserSub);

    const oidc = await (await fetch(`${cognito.url}/${cognito.userPoolId}/.well-known/openid-configuration`)).json();
    expect(oidc).toMatchObject({ issuer: cognito.issuer, jwks_uri: cognito.jwksUrl });
  });

  it('answers like Cognito for wrong passwords, unknown users, duplicates and weak passwords', async () => {
    expect(await errorOf(signIn('alice@example.com', 'WrongPassw0rd'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
      status: 400,
    });
    expect(await errorOf(signIn('nobody@example.com'))).toMatchObject({ name: 'UserNotFoundException' });
    expect(await errorOf(signUp('alice@example.com'))).toMatchObject({
      name: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
    expect(await errorOf(signUp('weak@example.com', 'short1A'))).toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    expect(await errorOf(signUp('weak@example.com', 'nouppercase1'))).toMatchObject({ name: 'InvalidPasswordException' });
    expect(await errorOf(confirm('alice@example.com'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  it('ResendConfirmationCode: works for an unconfirmed user, fails for confirmed and unknown ones', async () => {
    const email = 'bob@example.com';
    await signUp(email);
    const before = lines.length;
    const resent = await client.send(new ResendConfirmationCodeCommand({ ClientId: cognito.clientId, Username: email }));
    expect(resent.CodeDeliveryDetails).toEqual({ Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(lines.slice(before).some((l) => l.includes('ResendConfirmationCode') && l.includes('123456'))).toBe(true);
    await confirm(email); // the code stays the configured one
    await signIn(email);

    expect(await errorOf(client.send(new ResendConfirmationCodeCommand({ ClientId: cognito.clientId, Username: email })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'User is already confirmed.',
    });
    expect(
      await errorOf(client.send(new ResendConfirmationCodeCommand({ ClientId: cognito.clientId, Username: 'ghost@example.com' }))),
    ).toMatchObject({ name: 'UserNotFoundException' });
  });

  it('GlobalSignOut revokes earlier refresh and access tokens; a fresh sign-in still works', async () => {
    const email = 'carol@example.com';
    await signUp(email);
    await confirm(email);
    const first = (await signIn(email)).AuthenticationResult!;
    const second = (await signIn(email)).AuthenticationResult!;

    const refreshed = await refresh(first.RefreshToken!);
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();

    // another user, to check that the sign-out stays with carol
    await signUp('dave@example.com');
    await confirm('dave@example.com');
    const dave = (await signIn('dave@example.com')).AuthenticationResult!;

    await client.send(new GlobalSignOutCommand({ AccessToken: second.AccessToken! }));

    for (const token of [first.RefreshToken!, second.RefreshToken!]) {
      expect(await errorOf(refresh(token))).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    }
    for (const token of [first.AccessToken!, refreshed.AuthenticationResult!.AccessToken!]) {
      expect(await errorOf(client.send(new GetUserCommand({ AccessToken: token })))).toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
    }
    expect(await errorOf(client.send(new GlobalSignOutCommand({ AccessToken: second.AccessToken! })))).toMatchObject({
      name: 'NotAuthorizedException',
    });
    expect(await errorOf(client.send(new GlobalSignOutCommand({ AccessToken: 'not-a-token' })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });

    await refresh(dave.RefreshToken!); // untouched

    const fresh = (await signIn(email)).AuthenticationResult!;
    const user = await client.send(new GetUserCommand({ AccessToken: fresh.AccessToken! }));
    expect(user.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe(email);
    expect((await refresh(fresh.RefreshToken!)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('AdminUserGlobalSignOut revokes by username (email alias accepted)', async () => {
    const admin = (await signIn('dave@example.com')).AuthenticationResult!;
    await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: cognito.userPoolId, Username: 'dave@example.com' }));
    expect(await errorOf(refresh(admin.RefreshToken!))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    expect(
      await errorOf(client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: cognito.userPoolId, Username: 'ghost@example.com' }))),
    ).toMatchObject({ name: 'UserNotFoundException' });
    await signIn('dave@example.com');
  });

  it('stops cleanly: no cognito-local process left, port closed', async () => {
    const pids = cognitoChildren();
    expect(pids).toHaveLength(1);
    const url = cognito.url;
    await cognito.stop();
    await cognito.stop(); // idempotent
    expect(pids.filter(alive)).toEqual([]);
    expect(cognitoChildren()).toEqual([]);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});

describe('startLocalCognito with PreventUserExistenceErrors and a custom code', () => {
  it('hides unknown users like Cognito does and uses the configured code', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'local-cognito-'));
    const lines: string[] = [];
    const cognito = await startLocalCognito({
      port: 0,
      region: 'us-east-1',
      dataDir,
      confirmationCode: '654321',
      preventUserExistenceErrors: true,
      log: (l) => lines.push(l),
    });
    const client = new CognitoIdentityProviderClient(localClientConfig('us-east-1', cognito.url));
    try {
      expect(cognito.userPoolId).toBe('us-east-1_LocalPool1');
      const signIn = client.send(
        new InitiateAuthCommand({
          ClientId: cognito.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'nobody@example.com', PASSWORD: PASSWORD },
        }),
      );
      expect(await errorOf(signIn)).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      const resent = await client.send(new ResendConfirmationCodeCommand({ ClientId: cognito.clientId, Username: 'nobody@example.com' }));
      expect(resent.CodeDeliveryDetails?.Destination).toBe('n***@e***');

      await client.send(
        new SignUpCommand({ ClientId: cognito.clientId, Username: 'erin@example.com', Password: PASSWORD }),
      );
      expect(lines.some((l) => l.includes('654321'))).toBe(true);
      await client.send(
        new ConfirmSignUpCommand({ ClientId: cognito.clientId, Username: 'erin@example.com', ConfirmationCode: '654321' }),
      );
    } finally {
      client.destroy();
      await cognito.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(cognitoChildren()).toEqual([]);
  });
});
