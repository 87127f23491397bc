import * as v from 'valibot';
import { badRequest, type Schema } from '@shared/platform';

/*
 * Opaque page cursors: base64url of a small JSON sort position. Clients only hand them back; one
 * that does not decode to the expected shape (edited, truncated, from another route) is a 400
 * naming `cursor`, never a DynamoDB error.
 */

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: Schema<T>): T | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => badRequest('cursor: not a cursor returned by this route (start again without one)', 'cursor');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = v.safeParse(schema, parsed);
  if (!result.success) throw invalid();
  return result.output;
}
