import fs from 'node:fs';
import path from 'node:path';
import { toJsonSchema, toJsonSchemaDefs } from '@valibot/to-json-schema';
import YAML from 'yaml';
import { DEFAULT_MAX_BODY_BYTES, type RouteHandler, type Schema } from '@shared/platform';
import { loadService } from '../local/serverless-yml';
import * as shape from './response-shapes';

/*
 * The API documents, made from the code so they cannot drift from it: for each HTTP service an
 * OpenAPI 3.1 document (routes and auth from its serverless.yml, every input from the valibot
 * schema its handler enforces), and an AsyncAPI 3.1 document for realTimeService's WebSocket
 * (client frames from their schemas, server events from the event types the code sends).
 * What the code cannot say (summaries, success statuses) is written once below.
 */

const ROOT = path.resolve(__dirname, '../..');
export const API_DOCS_DIR = path.join(ROOT, 'docs/api');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface Answer {
  description: string;
  /** The JSON body; none for 204 and the like. */
  shape?: Schema<unknown>;
}

interface Operation {
  summary: string;
  /** Success statuses and what each carries. */
  responses: Record<number, Answer>;
}

const answer = (description: string, body?: Schema<unknown>): Answer => ({ description, shape: body });

const HTTP_SERVICES: Record<string, { description: string; localPort: number; operations: Record<string, Operation> }> = {
  authService: {
    description: 'Sign-up, confirmation, sign-in and sign-out on a Cognito user pool. The four sign-up/sign-in routes are public.',
    localPort: 4001,
    operations: {
      signUp: { summary: 'Create an account (unconfirmed until confirmSignUp)', responses: { 201: answer('Created, unconfirmed', shape.SignedUp) } },
      confirmSignUp: { summary: 'Confirm an account with the emailed code', responses: { 200: answer('Confirmed', shape.Confirmed) } },
      resendConfirmationCode: { summary: 'Send the confirmation code again', responses: { 200: answer('Sent (also for an unknown email, so the answer does not tell who has an account)', shape.CodeSent) } },
      signIn: { summary: 'Sign in with email and password', responses: { 200: answer('Tokens and the profile', shape.SignedIn) } },
      signOut: { summary: "Sign out everywhere: the caller's earlier tokens are refused by every service", responses: { 204: answer('Signed out') } },
    },
  },
  connectService: {
    description: 'Conversations, members, direct conversations and user search.',
    localPort: 4002,
    operations: {
      createConversation: { summary: 'Create a group; the caller is its owner', responses: { 201: answer('The conversation, as the caller sees it', shape.Conversation) } },
      getConversations: { summary: "The caller's conversations, most recent activity first, with last-message preview and unread count", responses: { 200: answer('A page; nextCursor is null at the end', shape.ConversationPage) } },
      getConversation: { summary: 'One conversation the caller belongs to', responses: { 200: answer('The conversation', shape.Conversation) } },
      updateConversation: { summary: 'Rename a group or change its description (owners and admins)', responses: { 200: answer('The conversation', shape.Conversation) } },
      deleteConversation: { summary: 'Delete a group (owners)', responses: { 204: answer('Deleted') } },
      getMembers: { summary: 'The members of a conversation', responses: { 200: answer('Every member, in the order they joined', shape.MemberList) } },
      addMember: { summary: 'Add a member (owners and admins)', responses: { 201: answer('The member', shape.Member) } },
      removeMember: { summary: 'Remove a member (owners and admins), or leave (anyone, for themselves)', responses: { 204: answer('Removed') } },
      searchUsers: { summary: 'Users whose name or email starts with `q`, case-insensitively', responses: { 200: answer('A page; nextCursor is null at the end', shape.UserPage) } },
      createDirectConversation: {
        summary: 'The direct conversation with another user: one per pair, whoever asks first',
        responses: { 201: answer('Created now', shape.Conversation), 200: answer('It existed already', shape.Conversation) },
      },
    },
  },
  messageService: {
    description: 'Messages: ordered (per-conversation `seq` 1, 2, 3 … without gaps), idempotent sends, history, edits, deletes and read state.',
    localPort: 4003,
    operations: {
      sendMessage: { summary: 'Send a message', responses: { 201: answer('The new message', shape.Message), 200: answer('The first message, when `clientMessageId` repeats an earlier send', shape.Message) } },
      fetchMessage: { summary: 'History: newest first, or with `after=<seq>` what came after it, oldest first (catch-up)', responses: { 200: answer('A page', shape.MessagePage) } },
      getMessage: { summary: 'One message', responses: { 200: answer('The message', shape.Message) } },
      editMessage: { summary: 'Edit a message (its author)', responses: { 200: answer('The edited message', shape.Message) } },
      updateMessage: { summary: 'Mark the conversation read up to this message', responses: { 200: answer("The caller's read state", shape.ReadState) } },
      deleteMessage: { summary: 'Delete a message (its author, or an owner/admin): a tombstone stays in history', responses: { 200: answer('The tombstone', shape.Message) } },
    },
  },
};

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
  const json = toJsonSchema(schema as never, { errorMode: 'ignore', definitions: shape.NAMED_SHAPES as never });
  const { $schema: _draft, $defs: _named, ...rest } = asComponentRefs(json);
  return rest;
}

/** The named shapes (components.schemas), each referring to the others by $ref. */
const namedShapes = () => asComponentRefs(toJsonSchemaDefs(shape.NAMED_SHAPES, { errorMode: 'ignore' }));

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
  const service = loadService(path.join(ROOT, serviceName));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, fn] of Object.entries(service.functions)) {
    const http = fn.events?.map((e) => e.httpApi as { method: string; path: string } | undefined).find(Boolean);
    if (!http) continue;
    const operation = about.operations[name];
    if (!operation) throw new Error(`${serviceName}/${name}: add its summary and success responses to scripts/docs/api-documents.ts`);
    const modulePath = path.join(service.dir, `${fn.handler.replace(/\.handler$/, '')}.ts`);
    const { handler } = (await import(modulePath)) as { handler: RouteHandler };
    const spec = handler.spec;
    const responses: Record<string, unknown> = {};
    for (const [status, { description, shape: body }] of Object.entries(operation.responses)) {
      responses[status] = body ? { description, content: { 'application/json': { schema: answerSchema(body) } } } : { description };
    }
    responses.default = { $ref: '#/components/responses/Error' };
    paths[http.path] ??= {};
    paths[http.path]![http.method.toLowerCase()] = {
      operationId: name,
      summary: operation.summary,
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
      { url: 'https://{apiId}.execute-api.{region}.amazonaws.com', variables: { apiId: { default: 'apiId' }, region: { default: 'ap-south-1' } } },
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
const SERVER_EVENTS: Record<string, string> = {
  'message.created': 'A new message (messageId, seq, senderId, content, createdAt, clientMessageId?), to every member',
  'message.edited': 'An edited message, to every member',
  'message.deleted': 'A deleted message (messageId, seq, senderId, deletedAt, deletedBy), to every member',
  'message.read': 'A member read up to a message (userId, messageId, lastReadSeq), to every member',
  'conversation.created': 'A conversation the user is in was created, to its members',
  'conversation.updated': 'A conversation was renamed or re-described, to its members',
  'conversation.deleted': 'A conversation was deleted, to its former members',
  'member.added': 'A member joined, to the members including the new one',
  'member.removed': 'A member left or was removed, to the members and the removed one',
  typing: '{conversationId, userId, isTyping}, to the other members (never the typist); `isTyping: true` lapses into false after 5 s',
  presence: '{userId, status: online|offline, at}, to everyone who shares a conversation with the user',
  ack: "{clientMessageId, messageId, seq, conversationId}, to the sender's connection, answering its `message` frame",
  pong: '{}, answering `ping`',
  error: "{code, message, field?, requestId, action?, clientMessageId?}, to the connection whose frame failed",
};

async function asyncApi(): Promise<Record<string, unknown>> {
  const { MessageFrame, TypingFrame, PingFrame, SUPPORTED_ACTIONS, DURABLE_EVENT_TYPES } = await import(path.join(ROOT, 'realTimeService/src/schemas.ts'));
  const frames: Record<string, Schema<unknown>> = { message: MessageFrame, typing: TypingFrame, ping: PingFrame };
  const missing = [...(SUPPORTED_ACTIONS as readonly string[]), ...(DURABLE_EVENT_TYPES as readonly string[])].filter((name) => !frames[name] && !SERVER_EVENTS[name]);
  if (missing.length) throw new Error(`document these in scripts/docs/api-documents.ts: ${missing.join(', ')}`);

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
      aws: { host: '{apiId}.execute-api.{region}.amazonaws.com', pathname: '/{stage}', protocol: 'wss', variables: { apiId: { default: 'apiId' }, region: { default: 'ap-south-1' }, stage: { default: 'dev' } } },
      local: { host: '127.0.0.1:4010', protocol: 'ws', description: 'The local stack (npm start)' },
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
export function documentedAnswer(operationId: string, status: number): Answer | undefined {
  for (const service of Object.values(HTTP_SERVICES)) {
    const operation = service.operations[operationId];
    if (operation) return operation.responses[status];
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
