import * as v from 'valibot';
import { logger, unauthorized, type AuthenticatedUser, type RevocationStore } from '@shared/platform';
import { UserProfileSchema, type UserProfile } from '@shared/chat';
import { TokensSchema, type IdentityProvider, type Tokens, type UserProfiles } from './ports';

/* What the auth routes answer: the schemas the API documents show and the live answers are held to. */
export const SignedUpSchema = v.strictObject({ userId: v.string(), email: v.string(), confirmed: v.literal(false) });
export const ConfirmedSchema = v.strictObject({ email: v.string(), confirmed: v.literal(true) });
export const CodeSentSchema = v.strictObject({ email: v.string(), sent: v.literal(true) });
export const SignedInSchema = v.strictObject({ ...TokensSchema.entries, refreshToken: v.string(), user: v.optional(UserProfileSchema) });

export interface SignUpInput {
  email: string;
  password: string;
  fullName: string;
}

/** Sign-up, confirmation, sign-in and sign-out: Cognito for credentials, `Users` for profiles. */
export class AuthUseCases {
  constructor(
    private readonly identity: IdentityProvider,
    private readonly users: UserProfiles,
    private readonly revocations: RevocationStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async signUp({ email, password, fullName }: SignUpInput): Promise<v.InferOutput<typeof SignedUpSchema>> {
    const { userId } = await this.identity.signUp(email, password, fullName);
    const now = this.clock().toISOString();
    await this.users.createIfAbsent({ userId, email, fullName, confirmed: false, createdAt: now, updatedAt: now });
    logger.info('user.signed_up', { userId });
    return { userId, email, confirmed: false };
  }

  async confirmSignUp(email: string, code: string): Promise<v.InferOutput<typeof ConfirmedSchema>> {
    await this.identity.confirmSignUp(email, code);
    // The profile was written at sign-up; the search keys are added now so only confirmed users are found.
    // If that write was lost, the profile is rebuilt here from Cognito's attributes.
    const account = await this.identity.lookup(email);
    const now = this.clock().toISOString();
    await this.users.createIfAbsent({ ...account, confirmed: false, createdAt: now, updatedAt: now });
    await this.users.markConfirmed(account.userId, account.fullName, account.email, now);
    logger.info('user.confirmed', { userId: account.userId });
    return { email, confirmed: true };
  }

  async resendConfirmationCode(email: string): Promise<v.InferOutput<typeof CodeSentSchema>> {
    await this.identity.resendConfirmationCode(email);
    return { email, sent: true };
  }

  async signIn(email: string, password: string): Promise<Tokens & { user: UserProfile | undefined }> {
    const tokens = await this.identity.signIn(email, password);
    const userId = subjectOf(tokens.idToken);
    // Revocation works in whole seconds (token `iat`); a sign-in in the very second of a sign-out
    // would be refused, so wait that second out before handing tokens to the client.
    const revokedAt = await this.revocations.revokedAt(userId);
    if (revokedAt !== undefined && issuedAtOf(tokens.accessToken) <= revokedAt) {
      await new Promise((r) => setTimeout(r, Math.max(0, (revokedAt + 1) * 1000 - Date.now()) + 20));
      return this.signIn(email, password);
    }
    const user = await this.users.get(userId);
    logger.info('user.signed_in', { userId });
    return { ...tokens, user };
  }

  async signOut(user: AuthenticatedUser, token: string | undefined): Promise<void> {
    if (!token) throw unauthorized();
    // Our own mark first: it is what every service checks, whatever happens at Cognito next.
    await this.revocations.revoke(user.userId, Math.floor(this.clock().getTime() / 1000));
    await this.identity.globalSignOut(user.tokenUse === 'access' ? token : undefined, user.email);
    logger.info('user.signed_out', { userId: user.userId });
  }
}

function claims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
const subjectOf = (jwt: string) => claims(jwt).sub as string;
const issuedAtOf = (jwt: string) => claims(jwt).iat as number;
