import { answer, ok } from '@shared/platform';
import { auth, route } from '../app';
import { ConfirmedSchema } from '../auth';
import { ConfirmSignUpBody } from '../schemas';

export const handler = route(
  { public: true, body: ConfirmSignUpBody, summary: 'Confirm an account with the emailed code', answers: { 200: answer('Confirmed', ConfirmedSchema) } },
  async ({ body }) => ok(await auth.confirmSignUp(body.email, body.code)),
);
