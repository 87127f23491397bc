// Wire helpers shared by the local AWS stand-ins: AWS JSON 1.0/1.1 bodies and the form-encoded
// "query" protocol answered in XML, plus small coercions (query inputs arrive as strings).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

export type Rec = Record<string, unknown>;

/** A service error. `code` is the JSON `__type`; `queryCode` the XML `<Code>` (they differ for CloudWatch). */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly queryCode = code,
  ) {
    super(message);
  }
}

export interface Service {
  handle(action: string, input: Rec): unknown;
  snapshot(): unknown;
  restore(data: unknown): void;
  onChange: () => void;
}

export const unknownAction = (action: string): AwsError =>
  new AwsError('UnknownOperationException', `Operation ${action} is not supported locally`, 400, 'InvalidAction');

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  // The SDK gzips large CloudWatch PutMetricData bodies (request compression).
  return (/gzip/i.test(String(req.headers['content-encoding'] ?? '')) ? gunzipSync(body) : body).toString('utf8');
}

// ---- value coercion (JSON gives typed values, the query protocol gives strings) ----
export const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
export const num = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};
export const bool = (v: unknown): boolean | undefined =>
  v === undefined || v === null || v === '' ? undefined : v === true || v === 'true';
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const strs = (v: unknown): string[] => list(v).map(String);
export const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
/** A timestamp input as epoch ms: JSON protocols send epoch seconds, the query protocol ISO 8601. */
export function time(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' || /^\d+(\.\d+)?$/.test(String(v))) return Number(v) * 1000;
  const t = Date.parse(String(v));
  return Number.isNaN(t) ? undefined : t;
}

/** Offset paging with opaque tokens. */
export function page<T>(items: T[], token: unknown, size: number): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(String(token), 'base64url').toString()) || 0 : 0;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

// ---- query protocol input: "A.member.1.B=x&M.entry.1.key=k" -> { A: [{ B: 'x' }], M: { k: ... } } ----
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

export function decodeQuery(body: string): Rec {
  const root: Rec = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.');
    if (parts.some((p) => UNSAFE.has(p))) continue;
    let node = root;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) {
        if (typeof node[p] !== 'object') node[p] = value;
      } else {
        if (typeof node[p] !== 'object') node[p] = {};
        node = node[p] as Rec;
      }
    });
  }
  return normalize(root) as Rec;
}

function normalize(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const o = v as Rec;
  const keys = Object.keys(o);
  const indexed = (x: unknown): unknown[] =>
    Object.entries(rec(x))
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([, item]) => normalize(item));
  if (keys.length === 1 && keys[0] === 'member') return indexed(o.member);
  if (keys.length === 1 && keys[0] === 'entry') {
    return Object.fromEntries(indexed(o.entry).map((e) => [String(rec(e).key ?? rec(e).Name), rec(e).value ?? rec(e).Value]));
  }
  return Object.fromEntries(keys.map((k) => [k, normalize(o[k])]));
}

// ---- output encodings ----
/** A string-keyed map: a plain object in JSON, `<entry><key/><value/></entry>` in query XML. */
export class XmlMap {
  constructor(readonly entries: Rec) {}
  toJSON(): Rec {
    return this.entries;
  }
}

/** JSON with Date values as epoch seconds, as AWS JSON protocols send timestamps. */
export function jsonBody(value: unknown): string {
  return JSON.stringify(value, function (this: Rec, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

const escapeXml = (s: string): string =>
  s.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? `&#${c.charCodeAt(0)};`);

export function toXml(name: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  let inner: string;
  if (v instanceof Date) inner = v.toISOString();
  else if (v instanceof XmlMap) {
    inner = Object.entries(v.entries).filter(([, x]) => x !== undefined && x !== null)
      .map(([k, x]) => `<entry>${toXml('key', k)}${toXml('value', x)}</entry>`).join('');
  } else if (Array.isArray(v)) inner = v.map((x) => toXml('member', x)).join('');
  else if (typeof v === 'object') inner = Object.entries(v).map(([k, x]) => toXml(k, x)).join('');
  else inner = escapeXml(String(v));
  return `<${name}>${inner}</${name}>`;
}

export interface JsonDialect { version: string; typePrefix?: string; queryCompat?: boolean }

/** Answers an AWS JSON request with a result or an error (query-compatible services add `x-amzn-query-error`). */
export function replyJson(res: ServerResponse, dialect: JsonDialect, requestId: string, out: unknown): void {
  const headers: Record<string, string> = { 'content-type': `application/x-amz-json-${dialect.version}`, 'x-amzn-requestid': requestId };
  if (!(out instanceof AwsError)) return void res.writeHead(200, headers).end(jsonBody(out ?? {}));
  if (dialect.queryCompat) headers['x-amzn-query-error'] = `${out.queryCode};${out.status < 500 ? 'Sender' : 'Receiver'}`;
  res.writeHead(out.status, headers).end(JSON.stringify({ __type: `${dialect.typePrefix ?? ''}${out.code}`, message: out.message }));
}

/** Answers a query-protocol request: `<XResponse><XResult>…` or `<ErrorResponse><Error>…`. */
export function replyXml(res: ServerResponse, xmlns: string, action: string, requestId: string, out: unknown): void {
  const meta = `<RequestId>${requestId}</RequestId>`;
  const body = out instanceof AwsError
    ? `<ErrorResponse xmlns="${xmlns}"><Error><Type>${out.status < 500 ? 'Sender' : 'Receiver'}</Type>` +
      `${toXml('Code', out.queryCode)}${toXml('Message', out.message)}</Error>${meta}</ErrorResponse>`
    : `<${action}Response xmlns="${xmlns}">${Object.keys(rec(out)).length ? toXml(`${action}Result`, out) : ''}` +
      `<ResponseMetadata>${meta}</ResponseMetadata></${action}Response>`;
  res.writeHead(out instanceof AwsError ? out.status : 200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(`<?xml version="1.0"?>\n${body}`);
}
