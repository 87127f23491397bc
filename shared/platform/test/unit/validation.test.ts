import * as v from 'valibot';
import { AppError } from '../../src/errors';
import { fields, validate } from '../../src/validation';

/** The 400 a client gets for `value`, as `{message, field}`. */
function refusal(schema: Parameters<typeof validate>[0], value: unknown, where: Parameters<typeof validate>[2] = 'body') {
  try {
    validate(schema, value, where);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const { status, message, field } = err as AppError;
    expect(status).toBe(400);
    return { message, field };
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

const Body = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(5)),
  id: v.optional(fields.id),
  flag: v.optional(v.boolean()),
  role: v.optional(v.picklist(['member', 'admin']), 'member'),
  tags: v.optional(v.pipe(v.array(v.string()), v.maxLength(2))),
});
const Query = v.strictObject({ limit: fields.limit(50, 20) });

describe('validate', () => {
  it('returns the parsed value, with trims and defaults applied', () => {
    expect(validate(Body, { name: ' ann ' }, 'body')).toEqual({ name: 'ann', role: 'member' });
    expect(validate(Query, {}, 'query')).toEqual({ limit: 20 });
    expect(validate(Query, { limit: '7' }, 'query')).toEqual({ limit: 7 });
  });

  it.each([
    ['a missing field', {}, 'name: is required', 'name'],
    ['a wrong type', { name: 5 }, 'name: must be a string', 'name'],
    ['an empty string after trimming', { name: '   ' }, 'name: must not be empty', 'name'],
    ['a long string', { name: 'abcdefg' }, 'name: must have at most 5 characters', 'name'],
    ['a bad id', { name: 'a', id: 'a b' }, 'id: must be an id (letters, digits, _ . : @ -)', 'id'],
    ['a non-boolean', { name: 'a', flag: 'yes' }, 'flag: must be true or false', 'flag'],
    ['a value outside a list', { name: 'a', role: 'owner' }, 'role: must be "member" or "admin"', 'role'],
    ['too many items', { name: 'a', tags: ['x', 'y', 'z'] }, 'tags: must have at most 2 items', 'tags'],
    ['a wrong item', { name: 'a', tags: ['x', 1] }, 'tags.1: must be a string', 'tags.1'],
    ['an unknown field', { name: 'a', admin: true }, 'Unknown field: admin', 'admin'],
  ])('names the field for %s', (_what, value, message, field) => {
    expect(refusal(Body, value)).toEqual({ message, field });
  });

  it('says what the body must be when it is not an object', () => {
    expect(refusal(Body, [1])).toEqual({ message: 'body: must be a JSON object', field: undefined });
    expect(refusal(Body, null)).toEqual({ message: 'body: must be a JSON object', field: undefined });
  });

  it.each([
    ['0', 'limit: must be at least 1'],
    ['51', 'limit: must be at most 50'],
    ['2.5', 'limit: must be a whole number'],
    ['ten', 'limit: must be a number'],
    ['', 'limit: must be at least 1'],
  ])('refuses limit=%j in a query', (limit, message) => {
    expect(refusal(Query, { limit }, 'query')).toEqual({ message, field: 'limit' });
  });
});
