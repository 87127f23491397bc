import { randomUUID } from 'node:crypto';
import { ACCOUNT_PASSWORD, createAccount } from '../../scripts/lib/accounts';
import { requestJson } from '../../scripts/lib/http';
import { endpoints } from './stack';

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A real HTTP call to one of the services (fetch over loopback). */
export async function call<T = any>(
  base: string | undefined,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  if (!base) throw new Error('service is not running in the local stack');
  const { status, body, headers } = await requestJson<T>(`${base}${path}`, { method, ...options });
  return { status, body, headers };
}

export interface TestUser {
  userId: string;
  email: string;
  fullName: string;
  password: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** Signs a new, unique user up, confirms them with the local code and signs them in. */
export async function newUser(fullName = 'Test User', emailPrefix = 'user'): Promise<TestUser> {
  const e = endpoints();
  if (!e.auth) throw new Error('service is not running in the local stack');
  const email = `${emailPrefix}-${randomUUID().slice(0, 8)}@example.com`.toLowerCase();
  const { userId, password, accessToken, idToken, refreshToken } = await createAccount(e.auth, { email, password: ACCOUNT_PASSWORD, fullName }, e.confirmationCode);
  return { userId: userId!, email, fullName, password, accessToken, idToken, refreshToken };
}

/** Asserts the contract's error shape and returns the error. */
export function expectError(answer: HttpAnswer, status: number, field?: string) {
  expect({ status: answer.status, body: answer.body }).toMatchObject({
    status,
    body: { error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) } },
  });
  if (field) expect(answer.body.error.field).toBe(field);
  return answer.body.error as { code: string; message: string; field?: string; requestId: string };
}
