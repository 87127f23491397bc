import * as v from 'valibot';
import type { UserProfile } from '@shared/chat';

/*
 * What the auth use cases need from the outside world, as interfaces they own: Cognito
 * (adapters/cognito-identity.ts) and the `Users` table (UsersTable from shared/chat), built in the
 * composition root (app.ts).
 */

/** The identity provider (Cognito) as the auth use cases need it. */
export interface IdentityProvider {
  signUp(email: string, password: string, fullName: string): Promise<{ userId: string }>;
  confirmSignUp(email: string, code: string): Promise<void>;
  resendConfirmationCode(email: string): Promise<void>;
  signIn(email: string, password: string): Promise<Tokens>;
  /** The account's id (Cognito `sub`) and profile attributes. */
  lookup(email: string): Promise<{ userId: string; email: string; fullName: string }>;
  /** Invalidates the user's refresh tokens (sessions) at the identity provider. */
  globalSignOut(accessToken: string | undefined, email: string | undefined): Promise<void>;
}

/** Where profiles are kept (the `Users` table). */
export interface UserProfiles {
  /** Creates the profile unless one exists (sign-up can be retried after a partial failure). */
  createIfAbsent(profile: UserProfile): Promise<void>;
  /** Marks the account confirmed, which makes it findable by search. */
  markConfirmed(userId: string, fullName: string, email: string, now: string): Promise<void>;
  get(userId: string): Promise<UserProfile | undefined>;
}

/** What the identity provider hands out at sign-in. */
export const TokensSchema = v.strictObject({
  accessToken: v.string(),
  idToken: v.string(),
  refreshToken: v.optional(v.string()),
  expiresIn: v.pipe(v.number(), v.integer(), v.minValue(0), v.description('seconds until the access and id tokens expire')),
  tokenType: v.string(),
});
export type Tokens = v.InferOutput<typeof TokensSchema>;
