import * as v from 'valibot';
import { hasControlCharacters } from '@shared/platform';
import { passwordPolicy } from './password-policy';

const INVALID_EMAIL = 'must be a valid email address';
/** RFC 5322's characters (so o'brien@… signs up), plus what a deliverable address has: a dotted domain, no empty labels. */
const email = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(254),
  v.rfcEmail(INVALID_EMAIL),
  v.regex(/^(?!\.)(?!.*\.\.)[^@]+(?<!\.)@[^@]+\.[a-z]{2,}$/i, INVALID_EMAIL),
  v.toLowerCase(),
);

export const SignUpBody = v.strictObject({
  email,
  password: v.pipe(v.string(), v.maxLength(256), v.check(passwordPolicy.test, passwordPolicy.description)),
  fullName: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(100, 'must be at most 100 characters'),
    v.check((name) => !hasControlCharacters(name), 'must not contain control characters'),
  ),
});

export const ConfirmSignUpBody = v.strictObject({
  email,
  code: v.pipe(v.string(), v.trim(), v.regex(/^\d{4,10}$/, 'must be the numeric code from the confirmation email')),
});

export const EmailBody = v.strictObject({ email });

export const SignInBody = v.strictObject({ email, password: v.pipe(v.string(), v.minLength(1), v.maxLength(256)) });
