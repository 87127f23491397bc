import { requestJson } from './http';

/*
 * The one way scripts and tests get a signed-in user of a running authService: signUp, then
 * confirmSignUp with the code the local Cognito stand-in hands out, then signIn.
 */

/** A password authService's (and Cognito's) policy accepts, for accounts made by tests and tools. */
export const ACCOUNT_PASSWORD = 'Passw0rdX';

export interface NewAccount {
  email: string;
  password: string;
  fullName: string;
}

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export interface Account extends NewAccount, Tokens {
  /** From signUp's answer; unknown when the account existed already (`existing`). */
  userId?: string;
}

export type AccountStep = 'signUp' | 'confirmSignUp' | 'signIn';

/** A step answered something other than success; says which step, and what it answered. */
export class AccountError extends Error {
  constructor(
    readonly step: AccountStep,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${step} failed: ${status} ${JSON.stringify(body)}`);
  }
}

export interface AccountOptions {
  /** Headers of each request (called once a request, e.g. for a fresh x-correlation-id). */
  headers?: () => Record<string, string>;
  /** Accept an account that exists already (409 from signUp or confirmSignUp) and sign it in. */
  existing?: boolean;
}

type Answer = Record<string, unknown> | undefined;

async function step(auth: string, name: AccountStep, body: unknown, ok: number[], o: AccountOptions): Promise<{ status: number; body: Answer }> {
  const answer = await requestJson<Answer>(`${auth}/${name}`, { method: 'POST', body, headers: o.headers?.() });
  const parsed = typeof answer.body === 'object' && answer.body !== null ? answer.body : undefined;
  // serverless offline answers a timed-out or crashed handler with its own error body, sometimes as a 200.
  if (!ok.includes(answer.status) || parsed?.errorType) throw new AccountError(name, answer.status, answer.body);
  return { status: answer.status, body: parsed };
}

/** Signs an account in; rejects with an AccountError when authService does not hand out tokens. */
export async function signIn(auth: string, email: string, password: string, o: AccountOptions = {}): Promise<Tokens> {
  const { status, body } = await step(auth, 'signIn', { email, password }, [200], o);
  if (typeof body?.accessToken !== 'string') throw new AccountError('signIn', status, body);
  return { accessToken: body.accessToken, idToken: body.idToken as string, refreshToken: body.refreshToken as string };
}

/** signUp → confirmSignUp (with `code`) → signIn. */
export async function createAccount(auth: string, account: NewAccount, code: string, o: AccountOptions = {}): Promise<Account> {
  const conflict = o.existing ? [409] : [];
  const signedUp = await step(auth, 'signUp', account, [201, ...conflict], o);
  const userId = typeof signedUp.body?.userId === 'string' ? signedUp.body.userId : undefined;
  if (signedUp.status === 201 && !userId) throw new AccountError('signUp', signedUp.status, signedUp.body);
  await step(auth, 'confirmSignUp', { email: account.email, code }, [200, ...conflict], o);
  return { ...account, userId, ...(await signIn(auth, account.email, account.password, o)) };
}
