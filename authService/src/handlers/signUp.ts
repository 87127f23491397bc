import { created } from '@shared/platform';
import { auth, route } from '../app';
import { SignUpBody } from '../schemas';

export const handler = route({ public: true, body: SignUpBody }, async ({ body }) => created(await auth.signUp(body)));
