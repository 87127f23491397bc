import type { Context } from 'aws-lambda';
import { AppError, badRequest, payloadTooLarge } from '../errors';
import { invoke } from '../invocation';
import type { Metrics } from '../observability/metrics';
import type { AuthenticatedUser } from '../auth/token-verifier';
import { validate, type Schema } from '../validation';
import { errorFrame, type ServerFrame } from './frames';

/** The part of an API Gateway WebSocket (Lambda proxy) event the wrapper reads. */
export interface WebSocketEvent {
  requestContext: {
    connectionId: string;
    routeKey: string;
    requestId?: string;
    eventType?: string;
    domainName?: string;
    stage?: string;
  };
  body?: string | null;
  isBase64Encoded?: boolean;
  queryStringParameters?: Record<string, string | undefined> | null;
}

export interface WebSocketResult {
  statusCode: number;
  body?: string;
}

export interface WebSocketDeps {
  metrics: () => Metrics;
  /**
   * The user behind a connection, as recorded when it connected, with whatever checks the service
   * applies per frame (e.g. token revocation). Throws an AppError (401) when there is none.
   * Without it, only anonymous routes and lifecycle handlers can be made (a function that needs no
   * user then carries no code that looks one up).
   */
  identify?: (connectionId: string) => Promise<AuthenticatedUser>;
}

export interface WebSocketContext {
  connectionId: string;
  routeKey: string;
  /** The Lambda request id: what operators find in CloudWatch. */
  requestId: string;
  correlationId: string;
}

export interface FrameSpec<F> {
  /** Schema of the client frame (JSON); without one the handler gets the raw text. */
  frame?: Schema<F>;
  /** Routes that need no user (e.g. ping) skip the connection lookup. */
  anonymous?: boolean;
  /** Largest accepted frame in bytes (default 32 KiB, API Gateway's frame size). */
  maxFrameBytes?: number;
}

export interface FrameInput<F, Authed extends boolean> {
  frame: F;
  raw: string;
  user: Authed extends true ? AuthenticatedUser : undefined;
  ctx: WebSocketContext;
}

export interface LifecycleInput {
  query: Record<string, string | undefined>;
  ctx: WebSocketContext;
}

type Handler = (event: WebSocketEvent, context: Context) => Promise<WebSocketResult>;

const DEFAULT_MAX_FRAME = 32 * 1024;

/**
 * Wraps use-case calls into API Gateway WebSocket handlers inside the invocation core, the way
 * `httpRoute` does for HTTP: frame parsing and schema validation, the connection's user, and
 * error → `error` frame.
 *
 * A frame route answers the sender by returning a frame: it becomes the route response (the
 * routes are declared with `routeResponseSelectionExpression: $default`), so replying costs no
 * PostToConnection call.
 *
 * @example
 *   export const handler = websocket.route({ frame: TypingFrame }, ({ frame, user, ctx }) => typing.update(user, frame, ctx));
 */
export function websocketRoutes(deps: WebSocketDeps) {
  function route<F = string>(spec: FrameSpec<F> & { anonymous: true }, fn: (input: FrameInput<F, false>) => Promise<ServerFrame | void>): Handler;
  function route<F = string>(spec: FrameSpec<F>, fn: (input: FrameInput<F, true>) => Promise<ServerFrame | void>): Handler;
  function route<F>(spec: FrameSpec<F>, fn: (input: FrameInput<F, boolean>) => Promise<ServerFrame | void>): Handler {
    const identify = deps.identify;
    if (!spec.anonymous && !identify) throw new Error('A route with a user needs websocketRoutes({ identify })');
    return (event, context) => {
      let parsed: unknown;
      return invocation(event, context, {
        answerFailure: (err, ctx) => reply(errorFrame(err, ctx.requestId, ctx.correlationId, echoOf(parsed))),
        work: async (ctx) => {
          const raw = frameText(event, spec.maxFrameBytes ?? DEFAULT_MAX_FRAME);
          parsed = spec.frame ? parseJson(raw) : raw;
          const frame = spec.frame ? validate(spec.frame, parsed, 'frame') : (raw as F);
          const user = spec.anonymous ? undefined : await identify!(ctx.connectionId);
          const answer = await fn({ frame, raw, user, ctx });
          return answer ? reply(answer) : { statusCode: 200 };
        },
      });
    };
  }

  /** `$connect` / `$disconnect`: no frame; a thrown AppError becomes its status (401 refuses the connection). */
  function lifecycle(fn: (input: LifecycleInput) => Promise<void>): Handler {
    return (event, context) =>
      invocation(event, context, {
        answerFailure: (err) => ({ statusCode: err instanceof AppError ? err.status : 500 }),
        work: async (ctx) => {
          await fn({ query: event.queryStringParameters ?? {}, ctx });
          return { statusCode: 200 };
        },
      });
  }

  function invocation(
    event: WebSocketEvent,
    context: Context,
    handling: { work: (ctx: WebSocketContext) => Promise<WebSocketResult>; answerFailure: (err: unknown, ctx: WebSocketContext) => WebSocketResult },
  ): Promise<WebSocketResult> {
    const { connectionId, routeKey, requestId: apiRequestId } = event.requestContext;
    const ctx: WebSocketContext = { connectionId, routeKey, requestId: context.awsRequestId, correlationId: context.awsRequestId };
    return invoke(
      { trigger: 'websocket', requestId: ctx.requestId, correlationId: ctx.correlationId, fields: { apiRequestId, connectionId, route: routeKey } },
      {
        flush: () => deps.metrics().flush(),
        describe: (result: WebSocketResult) => ({ status: result.statusCode }),
        answerFailure: (err) => handling.answerFailure(err, ctx),
      },
      () => handling.work(ctx),
    );
  }

  return { route, lifecycle };
}

function frameText(event: WebSocketEvent, maxBytes: number): string {
  const body = event.body ?? '';
  const raw = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw payloadTooLarge(`Frame exceeds ${maxBytes} bytes`);
  return raw;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest('Frame is not valid JSON');
  }
}

function reply(frame: ServerFrame): WebSocketResult {
  return { statusCode: 200, body: JSON.stringify(frame) };
}

const ECHO = /^[A-Za-z0-9_.:@-]{1,128}$/;

/** The action and clientMessageId of a frame that failed, when they are sane enough to send back. */
function echoOf(parsed: unknown): { action?: string; clientMessageId?: string } {
  if (!parsed || typeof parsed !== 'object') return {};
  const { action, clientMessageId } = parsed as Record<string, unknown>;
  return {
    action: typeof action === 'string' && ECHO.test(action) ? action : undefined,
    clientMessageId: typeof clientMessageId === 'string' && ECHO.test(clientMessageId) ? clientMessageId : undefined,
  };
}
