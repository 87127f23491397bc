import { ok } from '@shared/platform';
import { auth, route } from '../app';
import { SignInBody } from '../schemas';

export const handler = route({ public: true, body: SignInBody }, async ({ body }) => ok(await auth.signIn(body.email, body.password)));
