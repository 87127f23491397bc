import { answer, created } from '@shared/platform';
import { auth, route } from '../app';
import { SignedUpSchema } from '../auth';
import { SignUpBody } from '../schemas';

export const handler = route(
  { public: true, body: SignUpBody, summary: 'Create an account (unconfirmed until confirmSignUp)', answers: { 201: answer('Created, unconfirmed', SignedUpSchema) } },
  async ({ body }) => created(await auth.signUp(body)),
);
