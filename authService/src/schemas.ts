import { hasControlCharacters, z } from '@chat/shared';
import { passwordPolicy } from './adapters/cognito-identity';

const email = z
  .string()
  .trim()
  .max(254)
  .email('must be a valid email address')
  .transform((v) => v.toLowerCase());

export const SignUpBody = z.strictObject({
  email,
  password: z.string().max(256).refine(passwordPolicy.test, passwordPolicy.description),
  fullName: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .refine((v) => !hasControlCharacters(v), 'must not contain control characters'),
});

export const ConfirmSignUpBody = z.strictObject({
  email,
  code: z.string().trim().regex(/^\d{4,10}$/, 'must be the numeric code from the confirmation email'),
});

export const EmailBody = z.strictObject({ email });

export const SignInBody = z.strictObject({ email, password: z.string().min(1).max(256) });
