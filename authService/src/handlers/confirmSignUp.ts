import { ok } from '@shared/platform';
import { auth, route } from '../app';
import { ConfirmSignUpBody } from '../schemas';

export const handler = route({ public: true, body: ConfirmSignUpBody }, async ({ body }) =>
  ok(await auth.confirmSignUp(body.email, body.code)),
);
