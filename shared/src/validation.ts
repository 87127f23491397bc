import { z, type ZodType, type ZodTypeDef } from 'zod';
import { badRequest } from './errors';

/** Parses `value` with `schema`, turning the first problem into a 400 that names the field. */
export function validate<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, where: 'body' | 'query' | 'path' | 'frame'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || undefined;
  const message =
    issue.code === 'unrecognized_keys'
      ? `Unknown field(s): ${issue.keys.join(', ')}`
      : `${field ?? where}: ${issue.message}`;
  const unknownField = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  throw badRequest(message, field ?? unknownField ?? (where === 'body' || where === 'frame' ? undefined : where));
}

/** Common field shapes. */
export const fields = {
  id: z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_.:@-]+$/, 'must be an id (letters, digits, _ . : @ -)'),
  limit: (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback),
  cursor: z.string().min(1).max(2048),
};

export { z };

/** True when the text holds ASCII control characters (tabs and newlines excluded). */
export const hasControlCharacters = (text: string) =>
  [...text].some((ch) => {
    const code = ch.charCodeAt(0);
    return (code < 32 && ch !== '\n' && ch !== '\t' && ch !== '\r') || code === 127;
  });
