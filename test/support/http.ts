import { randomUUID } from 'node:crypto';
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
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetchOnce(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/**
 * fetch, tried a second time when the server had closed the kept-alive socket just as the request
 * went out ("other side closed" before any answer): the request never reached a handler.
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const staleSocket = cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET' || /other side closed/.test(cause?.message ?? '');
    if (!staleSocket) throw err;
    return fetch(url, init);
  }
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
  const email = `${emailPrefix}-${randomUUID().slice(0, 8)}@example.com`.toLowerCase();
  const password = 'Passw0rdX';
  const signUp = await call(e.auth, 'POST', '/signUp', { body: { email, password, fullName } });
  if (signUp.status !== 201 || !signUp.body?.userId) throw new Error(`signUp failed: ${signUp.status} ${JSON.stringify(signUp.body)}`);
  const confirm = await call(e.auth, 'POST', '/confirmSignUp', { body: { email, code: e.confirmationCode } });
  if (confirm.status !== 200) throw new Error(`confirmSignUp failed: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  const signIn = await call(e.auth, 'POST', '/signIn', { body: { email, password } });
  if (signIn.status !== 200 || !signIn.body?.accessToken) throw new Error(`signIn failed: ${signIn.status} ${JSON.stringify(signIn.body)}`);
  return {
    userId: signUp.body.userId,
    email,
    fullName,
    password,
    accessToken: signIn.body.accessToken,
    idToken: signIn.body.idToken,
    refreshToken: signIn.body.refreshToken,
  };
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
