import { ok } from '@shared/platform';
import { auth, route } from '../app';
import { EmailBody } from '../schemas';

export const handler = route({ public: true, body: EmailBody }, async ({ body }) => ok(await auth.resendConfirmationCode(body.email)));
