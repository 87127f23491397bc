import { answer, ok } from '@shared/platform';
import { auth, route } from '../app';
import { SignedInSchema } from '../auth';
import { SignInBody } from '../schemas';

export const handler = route(
  { public: true, body: SignInBody, summary: 'Sign in with email and password', answers: { 200: answer('Tokens and the profile', SignedInSchema) } },
  async ({ body }) => ok(await auth.signIn(body.email, body.password)),
);
