import fs from 'node:fs';
import path from 'node:path';
import { toJsonSchema, toJsonSchemaDefs } from '@valibot/to-json-schema';
import YAML from 'yaml';
import { DEFAULT_MAX_BODY_BYTES, type Answer, type RouteHandler, type Schema } from '@shared/platform';
import { DURABLE_EVENTS, LastMessagePreviewSchema, UserProfileSchema } from '@shared/chat';
import { MessageSchema } from '@shared/chat/messages';
import { ConversationViewSchema } from '../../connectService/src/conversation-view';
import { MemberViewSchema } from '../../connectService/src/members';
import { FoundUserSchema } from '../../connectService/src/user-search';
import { DEFAULT_REGION } from '../lib/local-aws';
import { DEFAULT_PORTS } from '../lib/local-stack';
import { ROOT } from '../lib/paths';
import { loadService } from '../local/serverless-yml';

/*
 * The API documents, made from the code so they cannot drift from it: for each HTTP service an
 * OpenAPI 3.1 document (routes and auth from its serverless.yml, every input from the valibot
 * schema its handler enforces, every answer from the schema beside the use case that builds it,
 * named in its handler's spec), and an AsyncAPI 3.1 document for realTimeService's WebSocket
 * (client frames from their schemas, server events from the durable event list in shared/chat and
 * realTimeService's own frames). What only the documents need (a service's words and local port)
 * is written once below.
 */

export const API_DOCS_DIR = path.join(ROOT, 'docs/api');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** What the code cannot say about a service. Each route's summary and answers are in its handler's spec. */
const HTTP_SERVICES: Record<string, { description: string; localPort: number }> = {
  authService: {
    description: 'Sign-up, confirmation, sign-in and sign-out on a Cognito user pool. The four sign-up/sign-in routes are public.',
    localPort: DEFAULT_PORTS.auth,
  },
  connectService: { description: 'Conversations, members, direct conversations and user search.', localPort: DEFAULT_PORTS.connect },
  messageService: {
    description: 'Messages: ordered (per-conversation `seq` 1, 2, 3 … without gaps), idempotent sends, history, edits, deletes and read state.',
    localPort: DEFAULT_PORTS.message,
  },
};

/** The answer shapes the documents name (components.schemas), so each is written once there; each is defined beside the use case that builds it. */
const NAMED_SHAPES = {
  UserProfile: UserProfileSchema,
  LastMessagePreview: LastMessagePreviewSchema,
  Conversation: ConversationViewSchema,
  Member: MemberViewSchema,
  FoundUser: FoundUserSchema,
  Message: MessageSchema,
};

interface Operation {
  name: string;
  method: string;
  path: string;
  spec: RouteHandler['spec'];
}

/** A service's HTTP operations: routes from its serverless.yml, the rest from the spec each handler carries. */
async function operationsOf(serviceName: string): Promise<Operation[]> {
  const service = loadService(path.join(ROOT, serviceName));
  const out: Operation[] = [];
  for (const [name, fn] of Object.entries(service.functions)) {
    const http = fn.events?.map((e) => e.httpApi as { method: string; path: string } | undefined).find(Boolean);
    if (!http) continue;
    const modulePath = path.join(service.dir, `${fn.handler.replace(/\.handler$/, '')}.ts`);
    const { handler } = (await import(modulePath)) as { handler: RouteHandler };
    out.push({ name, method: http.method, path: http.path, spec: handler.spec });
  }
  return out;
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { enum: ['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'INTERNAL'] },
        message: { type: 'string' },
        field: { type: 'string', description: 'The input field at fault, when there is one' },
        requestId: { type: 'string', description: 'The Lambda request id, as in the logs' },
      },
    },
  },
};

/** JSON Schema of what a client sends (before trims, defaults and conversions). */
function inputSchema(schema: Schema<unknown>): Record<string, unknown> {
  const { $schema: _draft, ...json } = toJsonSchema(schema as never, { errorMode: 'ignore', typeMode: 'input' }) as Record<string, unknown>;
  return json;
}

/** The named shapes a document refers to, and those they refer to in turn. */
function usedShapes(document: unknown): Record<string, unknown> {
  const all = namedShapes();
  const used = new Set<string>();
  const visit = (json: unknown) => {
    for (const [, name] of JSON.stringify(json).matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
      if (used.has(name!) || !all[name!]) continue;
      used.add(name!);
      visit(all[name!]);
    }
  };
  visit(document);
  return Object.fromEntries(Object.entries(all).filter(([name]) => used.has(name)));
}

/** JSON Schema of an answer, naming the shared shapes as components. */
function answerSchema(schema: Schema<unknown>): Record<string, unknown> {
  const json = toJsonSchema(schema as never, { errorMode: 'ignore', definitions: NAMED_SHAPES as never });
  const { $schema: _draft, $defs: _named, ...rest } = asComponentRefs(json);
  return rest;
}

/** The named shapes (components.schemas), each referring to the others by $ref. */
const namedShapes = () => asComponentRefs(toJsonSchemaDefs(NAMED_SHAPES, { errorMode: 'ignore' }));

/** The converter's `#/$defs/X` references, pointed at the document's components instead. */
const asComponentRefs = (json: unknown) => JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;

function parameters(schema: Schema<unknown> | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = inputSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

async function openApi(serviceName: string): Promise<Record<string, unknown>> {
  const about = HTTP_SERVICES[serviceName]!;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { name, method, path: route, spec } of await operationsOf(serviceName)) {
    const responses: Record<string, unknown> = {};
    for (const [status, { description, schema }] of Object.entries(spec.answers)) {
      responses[status] = schema ? { description, content: { 'application/json': { schema: answerSchema(schema) } } } : { description };
    }
    responses.default = { $ref: '#/components/responses/Error' };
    paths[route] ??= {};
    paths[route]![method.toLowerCase()] = {
      operationId: name,
      summary: spec.summary,
      ...(spec.public ? { security: [] } : {}),
      parameters: [...parameters(spec.path, 'path'), ...parameters(spec.query, 'query'), { $ref: '#/components/parameters/CorrelationId' }],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              description: `JSON, at most ${spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes`,
              content: { 'application/json': { schema: inputSchema(spec.body) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `${serviceName} HTTP API`, version: VERSION, description: `${about.description} Generated from the code by \`npm run docs:api\`; the contract is ../shared/contract.md.` },
    servers: [
      { url: 'https://{apiId}.execute-api.{region}.amazonaws.com', variables: { apiId: { default: 'apiId' }, region: { default: DEFAULT_REGION } } },
      { url: `http://127.0.0.1:${about.localPort}`, description: 'The local stack (npm start)' },
    ],
    security: [{ cognito: [] }],
    paths,
    components: {
      securitySchemes: {
        cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A Cognito access or id token from signIn; refused after the user's sign-out" },
      },
      parameters: {
        CorrelationId: {
          name: 'x-correlation-id',
          in: 'header',
          required: false,
          description: 'Your own id to trace this request across services; every response carries one back',
          schema: { type: 'string', maxLength: 128 },
        },
      },
      schemas: { ...usedShapes(paths), Error: ERROR_SCHEMA },
      responses: {
        Error: {
          description:
            '400 bad input (`field` names it), 401 no, invalid or revoked token, 403 not allowed, 404 not found, 409 conflict, 413 too large, 429 rate limited; 500 only for our own faults, never with details',
          headers: { 'x-correlation-id': { schema: { type: 'string' } } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}

/** Server → client events: what each carries, and to whom (realTimeService/README.md has more). */
const serverEvents = (frames: Record<string, string>): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(DURABLE_EVENTS).map(([type, { description }]) => [type, description])),
  ...frames,
});

async function asyncApi(): Promise<Record<string, unknown>> {
  const { MessageFrame, TypingFrame, PingFrame, SUPPORTED_ACTIONS, SERVER_FRAMES } = await import(path.join(ROOT, 'realTimeService/src/schemas.ts'));
  const frames: Record<string, Schema<unknown>> = { message: MessageFrame, typing: TypingFrame, ping: PingFrame };
  const missing = (SUPPORTED_ACTIONS as readonly string[]).filter((name) => !frames[name]);
  if (missing.length) throw new Error(`document these in scripts/docs/api-documents.ts: ${missing.join(', ')}`);
  const SERVER_EVENTS = serverEvents(SERVER_FRAMES as Record<string, string>);

  const messages: Record<string, unknown> = {};
  for (const action of SUPPORTED_ACTIONS as readonly string[]) {
    messages[`${action}Frame`] = { name: action, summary: `Client → server: {"action":"${action}"}`, contentType: 'application/json', payload: inputSchema(frames[action]!) };
  }
  for (const [type, summary] of Object.entries(SERVER_EVENTS)) {
    messages[`${type.replace('.', '_')}Event`] = {
      name: type,
      summary,
      contentType: 'application/json',
      payload: {
        type: 'object',
        required: ['type', 'data', 'correlationId'],
        properties: { type: { const: type }, data: { type: 'object' }, correlationId: { type: 'string' } },
      },
    };
  }
  const ref = (name: string) => ({ $ref: `#/channels/chat/messages/${name}` });
  return {
    asyncapi: '3.1.0',
    info: {
      title: 'realTimeService WebSocket API',
      version: VERSION,
      description:
        'Connect with `?token=<Cognito access or id token>` (refused with 401 without a valid one). Frames are JSON, at most 32 KiB. ' +
        'Durable events (messages, conversations, members) arrive at least once and carry eventId (and messageId/seq), so clients drop duplicates, order by seq and fill gaps with fetchMessage?after=<seq>. ' +
        'Generated from the code by `npm run docs:api`.',
    },
    servers: {
      aws: { host: '{apiId}.execute-api.{region}.amazonaws.com', pathname: '/{stage}', protocol: 'wss', variables: { apiId: { default: 'apiId' }, region: { default: DEFAULT_REGION }, stage: { default: 'dev' } } },
      local: { host: `127.0.0.1:${DEFAULT_PORTS.websocket}`, protocol: 'ws', description: 'The local stack (npm start)' },
    },
    channels: {
      chat: {
        address: '/',
        parameters: {},
        bindings: { ws: { query: { type: 'object', required: ['token'], properties: { token: { type: 'string', description: 'A Cognito access or id token' } } } } },
        messages,
      },
    },
    operations: {
      sendFrames: {
        action: 'send',
        channel: { $ref: '#/channels/chat' },
        summary: 'What a client sends; anything else is answered with an `error` naming the supported actions',
        messages: (SUPPORTED_ACTIONS as readonly string[]).map((a) => ref(`${a}Frame`)),
      },
      receiveEvents: {
        action: 'receive',
        channel: { $ref: '#/channels/chat' },
        summary: 'What the server sends: always {type, data, correlationId}',
        messages: Object.keys(SERVER_EVENTS).map((t) => ref(`${t.replace('.', '_')}Event`)),
      },
    },
  };
}

/** What the documents say `operationId` answers with `status` (undefined: not documented). */
export async function documentedAnswer(operationId: string, status: number): Promise<Answer | undefined> {
  for (const service of Object.keys(HTTP_SERVICES)) {
    const operation = (await operationsOf(service)).find((o) => o.name === operationId);
    if (operation) return operation.spec.answers[status];
  }
  throw new Error(`no operation ${operationId} in the API documents`);
}

/** File name → contents, as `npm run docs:api` writes them. */
export async function buildApiDocuments(): Promise<Map<string, string>> {
  const header = '# Generated by `npm run docs:api` from the code (scripts/docs/api-documents.ts); do not edit by hand.\n';
  const out = new Map<string, string>();
  for (const service of Object.keys(HTTP_SERVICES)) out.set(`${service}.openapi.yaml`, header + YAML.stringify(await openApi(service), { lineWidth: 0 }));
  out.set('realTimeService.asyncapi.yaml', header + YAML.stringify(await asyncApi(), { lineWidth: 0 }));
  return out;
}
