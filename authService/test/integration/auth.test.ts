import { randomUUID } from 'node:crypto';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { call, expectError, newUser } from '../../../test/support/http';
import { awsConfig, endpoints } from '../../../test/support/stack';

const e = () => endpoints();
const auth = (path: string, body?: unknown, token?: string) => call(e().auth, 'POST', path, { body, token });
const uniqueEmail = () => `auth-${randomUUID().slice(0, 8)}@example.com`;
const PASSWORD = 'Passw0rdX';

describe('authService', () => {
  it('signs up, confirms, signs in and signs out; afterwards every earlier token is refused', async () => {
    const email = uniqueEmail();
    const signUp = await auth('/signUp', { email: email.toUpperCase(), password: PASSWORD, fullName: 'Ada Lovelace' });
    expect(signUp.status).toBe(201);
    expect(signUp.body).toEqual({ userId: expect.any(String), email, confirmed: false });
    expect(signUp.headers.get('x-correlation-id')).toBeTruthy();

    expect((await auth('/confirmSignUp', { email, code: e().confirmationCode })).status).toBe(200);

    const signIn = await auth('/signIn', { email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
      user: { userId: signUp.body.userId, email, fullName: 'Ada Lovelace', confirmed: true },
    });
    const { accessToken, idToken, refreshToken } = signIn.body;

    expect((await auth('/signOut', undefined, accessToken)).status).toBe(204);
    expectError(await auth('/signOut', undefined, accessToken), 401);
    expectError(await auth('/signOut', undefined, idToken), 401);

    const cognito = new CognitoIdentityProviderClient(awsConfig(e().cognito));
    await expect(
      cognito.send(new InitiateAuthCommand({ ClientId: e().clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    cognito.destroy();

    // Signing in again right away gives tokens that work.
    const again = await auth('/signIn', { email, password: PASSWORD });
    expect(again.status).toBe(200);
    expect((await auth('/signOut', undefined, again.body.idToken)).status).toBe(204);
  });

  it('signs up, confirms and signs in ten users at once', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => newUser(`Parallel ${i}`, 'parallel')));
    expect(new Set(users.map((u) => u.userId)).size).toBe(10);
    for (const user of users) expect(user.accessToken).toEqual(expect.any(String));
  });

  it('signs out with an id token as well', async () => {
    const user = await newUser('Id Token User');
    expect((await auth('/signOut', undefined, user.idToken)).status).toBe(204);
    expectError(await auth('/signOut', undefined, user.accessToken), 401);
  });

  it('refuses a duplicate email with 409', async () => {
    const email = uniqueEmail();
    expect((await auth('/signUp', { email, password: PASSWORD, fullName: 'A' })).status).toBe(201);
    expectError(await auth('/signUp', { email, password: PASSWORD, fullName: 'B' }), 409);
  });

  it('refuses a wrong confirmation code with 400 and an unconfirmed sign-in with 403', async () => {
    const email = uniqueEmail();
    await auth('/signUp', { email, password: PASSWORD, fullName: 'Unconfirmed' });
    expectError(await auth('/confirmSignUp', { email, code: '000000' }), 400, 'code');
    const error = expectError(await auth('/signIn', { email, password: PASSWORD }), 403);
    expect(error.message).toMatch(/not confirmed/i);
  });

  it('resends a confirmation code, and says the same for an unknown email', async () => {
    const email = uniqueEmail();
    await auth('/signUp', { email, password: PASSWORD, fullName: 'Resend Me' });
    const resend = await auth('/resendConfirmationCode', { email });
    expect(resend.status).toBe(200);
    expect((await auth('/resendConfirmationCode', { email: uniqueEmail() })).status).toBe(200);
    expect((await auth('/confirmSignUp', { email, code: e().confirmationCode })).status).toBe(200);
    expectError(await auth('/resendConfirmationCode', { email }), 409);
    expectError(await auth('/confirmSignUp', { email, code: e().confirmationCode }), 409);
  });

  it('answers a wrong password and an unknown email alike with 401', async () => {
    const user = await newUser('Password Owner');
    const wrong = expectError(await auth('/signIn', { email: user.email, password: 'Wrong0Password' }), 401);
    const unknown = expectError(await auth('/signIn', { email: uniqueEmail(), password: 'Wrong0Password' }), 401);
    expect(unknown.message).toBe(wrong.message);
  });

  it('names the password policy for a weak password', async () => {
    const error = expectError(await auth('/signUp', { email: uniqueEmail(), password: 'short', fullName: 'Weak' }), 400, 'password');
    expect(error.message).toMatch(/8.*upper.*lower.*digit/i);
  });

  it('refuses sign-out without a valid token', async () => {
    expectError(await auth('/signOut'), 401);
    expectError(await auth('/signOut', undefined, 'not-a-jwt'), 401);
    const forged = `${Buffer.from('{"alg":"RS256","kid":"x"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.sig`;
    expectError(await auth('/signOut', undefined, forged), 401);
  });

  describe('bad input never yields a 5xx', () => {
    const huge = 'x'.repeat(70_000);
    const valid: Record<string, Record<string, unknown>> = {
      '/signUp': { email: 'ok@example.com', password: PASSWORD, fullName: 'Ok' },
      '/confirmSignUp': { email: 'ok@example.com', code: '123456' },
      '/resendConfirmationCode': { email: 'ok@example.com' },
      '/signIn': { email: 'ok@example.com', password: PASSWORD },
    };
    for (const [path, body] of Object.entries(valid)) {
      it(`${path}`, async () => {
        const bad: { rawBody?: string; body?: unknown; status: number; field?: string }[] = [
          { rawBody: undefined, status: 400 },
          { rawBody: '{not json', status: 400 },
          { rawBody: 'null', status: 400 },
          { body: [], status: 400 },
          { body: 'a string', status: 400 },
          { body: { ...body, unexpected: true }, status: 400, field: 'unexpected' },
          { body: { ...body, email: 42 }, status: 400, field: 'email' },
          { body: { ...body, email: 'not-an-email' }, status: 400, field: 'email' },
          { body: { ...body, email: `${'a'.repeat(300)}@example.com` }, status: 400, field: 'email' },
          { rawBody: JSON.stringify({ ...body, email: huge }), status: 413 },
        ];
        for (const key of Object.keys(body).filter((k) => k !== 'email')) {
          bad.push({ body: { ...body, [key]: { nested: true } }, status: 400, field: key });
          bad.push({ body: { ...body, [key]: 'y'.repeat(5000) }, status: 400, field: key });
          const { [key]: _omitted, ...rest } = body;
          void _omitted;
          bad.push({ body: rest, status: 400, field: key });
        }
        for (const b of bad) {
          const answer = await call(e().auth, 'POST', path, { body: b.body, rawBody: b.rawBody });
          expect({ input: b.rawBody ?? JSON.stringify(b.body)?.slice(0, 80), status: answer.status }).toEqual({
            input: b.rawBody ?? JSON.stringify(b.body)?.slice(0, 80),
            status: b.status,
          });
          expectError(answer, b.status, b.field);
        }
      });
    }
  });
});
