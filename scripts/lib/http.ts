/** JSON over HTTP, the one way scripts and test helpers call the services and the stand-ins. */

export interface JsonRequest {
  method?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as JSON (with its content-type). */
  body?: unknown;
  /** Sent as it is, when a test needs a body that is not (valid) JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** What came back; callers say what they expect through the type parameter. */
export interface JsonAnswer<T = unknown> {
  status: number;
  /** The parsed JSON body; the text itself when it is not JSON; undefined when there is none. */
  body: T;
  /** The body as it came. */
  text: string;
  headers: Headers;
}

/** One request; the answer whatever its status (only a failure to connect rejects). */
export async function requestJson<T = unknown>(url: string, request: JsonRequest = {}): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | undefined = request.rawBody;
  if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetchRetryingStaleSocket(url, { method: request.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

/**
 * fetch, tried a second time when the server had closed the kept-alive socket just as the request
 * went out ("other side closed" before any answer): the request never reached a handler.
 */
export async function fetchRetryingStaleSocket(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const staleSocket = cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET' || /other side closed/.test(cause?.message ?? '');
    if (!staleSocket) throw err;
    return fetch(url, init);
  }
}
