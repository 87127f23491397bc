import { badRequest } from '@shared/platform/errors';

/*
 * `before` cursors are opaque to clients so the paging scheme can change without breaking them;
 * today one carries the seq of the oldest message already seen.
 */

const VERSION = 'm1';
const CURSOR = new RegExp(`^${VERSION}:(\\d{1,12})$`);

export function encodeBeforeCursor(seq: number): string {
  return Buffer.from(`${VERSION}:${seq}`, 'utf8').toString('base64url');
}

/** The seq a `before` cursor stands for, or 400 naming `before` for anything we did not issue. */
export function decodeBeforeCursor(cursor: string): number {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const seq = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(seq) || seq < 1) throw badRequest('before: is not a cursor returned by this API', 'before');
  return seq;
}
