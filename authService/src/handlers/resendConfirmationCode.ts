import { answer, ok } from '@shared/platform';
import { auth, route } from '../app';
import { CodeSentSchema } from '../auth';
import { EmailBody } from '../schemas';

export const handler = route(
  {
    public: true,
    body: EmailBody,
    summary: 'Send the confirmation code again',
    answers: { 200: answer('Sent (also for an unknown email, so the answer does not tell who has an account)', CodeSentSchema) },
  },
  async ({ body }) => ok(await auth.resendConfirmationCode(body.email)),
);
