import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { AppError, badRequest, payloadTooLarge } from '../errors';
import { invoke } from '../invocation';
import type { Metrics } from '../observability/metrics';
import type { AuthenticatedUser, TokenVerifier } from '../auth/token-verifier';
import { validate, type Schema } from '../validation';
import type { HttpResult } from './responses';
import { correlationIdFrom } from '../observability/correlation';

export interface HttpDeps {
  verifier: () => TokenVerifier;
  metrics: () => Metrics;
}

/** One success answer of a route, as the API documents describe it and a test holds the live service to. */
export interface Answer {
  description: string;
  /** The JSON body's schema (the one the use case's answer type is derived from); none for 204 and the like. */
  schema?: Schema<unknown>;
}

export const answer = (description: string, schema?: Schema<unknown>): Answer => ({ description, schema });

export interface RouteSpec<B, Q, P> {
  /** One line for the API documents. */
  summary: string;
  /** The success statuses it answers with, and what each carries. */
  answers: Record<number, Answer>;
  /** Public routes skip the bearer token check (only the sign-up/sign-in family). */
  public?: boolean;
  // Input is unknown so schemas with defaults and transforms (e.g. `limit`) fit.
  body?: Schema<B>;
  query?: Schema<Q>;
  path?: Schema<P>;
  /** Largest accepted body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
}

export interface RequestContext {
  requestId: string;
  correlationId: string;
  /** The raw bearer token (e.g. for sign-out). */
  token?: string;
}

export interface RouteInput<B, Q, P, Authed extends boolean> {
  body: B;
  query: Q;
  path: P;
  user: Authed extends true ? AuthenticatedUser : undefined;
  ctx: RequestContext;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route's handler carries its spec, so the API documents are generated from the schemas it enforces. */
export type RouteHandler = Handler & { readonly spec: RouteSpec<unknown, unknown, unknown> };

/** Largest request body a route accepts unless its spec says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Wraps a use-case call into an HTTP API (payload v2) Lambda handler, inside the invocation core
 * (log context, correlation id, the metric flush, `request.completed`): bearer-token auth, JSON
 * parsing, schema validation, and error → status mapping in the contract's error shape. Handlers only say what they need and which use case to call.
 */
export function httpRoute(deps: HttpDeps) {
  function route<B = undefined, Q = undefined, P = undefined>(
    spec: RouteSpec<B, Q, P> & { public: true },
    fn: (input: RouteInput<B, Q, P, false>) => Promise<HttpResult>,
  ): RouteHandler;
  function route<B = undefined, Q = undefined, P = undefined>(
    spec: RouteSpec<B, Q, P>,
    fn: (input: RouteInput<B, Q, P, true>) => Promise<HttpResult>,
  ): RouteHandler;
  function route<B, Q, P>(spec: RouteSpec<B, Q, P>, fn: (input: RouteInput<B, Q, P, boolean>) => Promise<HttpResult>): RouteHandler {
    const handler: Handler = async (event, context) => {
      // The Lambda request id is what operators find in CloudWatch; API Gateway's id is logged beside it.
      const requestId = context.awsRequestId;
      const correlationId = correlationIdFrom(event.headers?.['x-correlation-id'], requestId);
      return invoke(
        { trigger: 'http', requestId, correlationId, fields: { apiRequestId: event.requestContext?.requestId, route: event.routeKey } },
        {
          flush: () => deps.metrics().flush(),
          describe: (result: APIGatewayProxyStructuredResultV2) => ({ status: result.statusCode }),
          answerFailure: (err) => errorResponse(err, requestId, correlationId),
        },
        async () => {
          const token = bearerToken(event.headers?.authorization);
          const user = spec.public ? undefined : await deps.verifier().verify(token);
          const body = spec.body ? validate(spec.body, parseBody(event, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), 'body') : (undefined as B);
          const query = spec.query ? validate(spec.query, event.queryStringParameters ?? {}, 'query') : (undefined as Q);
          const path = spec.path ? validate(spec.path, event.pathParameters ?? {}, 'path') : (undefined as P);
          const out = await fn({ body, query, path, user, ctx: { requestId, correlationId, token } });
          return respond(out.status, out.body, correlationId, out.headers);
        },
      );
    };
    return Object.assign(handler, { spec: spec as RouteSpec<unknown, unknown, unknown> });
  }
  return route;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function parseBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') throw badRequest('Request body is required');
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw payloadTooLarge(`Request body exceeds ${maxBytes} bytes`);
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest('Request body is not valid JSON');
  }
}

function respond(status: number, body: unknown, correlationId: string, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** Maps any thrown value to the contract's error shape; only AppErrors reveal their message. */
function errorResponse(err: unknown, requestId: string, correlationId: string): APIGatewayProxyStructuredResultV2 {
  if (err instanceof AppError) return respond(err.status, { error: { code: err.code, message: err.message, field: err.field, requestId } }, correlationId);
  return respond(500, { error: { code: 'INTERNAL', message: 'Internal error', requestId } }, correlationId);
}
