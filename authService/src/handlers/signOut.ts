import { noContent } from '@shared/platform';
import { auth, route } from '../app';

export const handler = route({}, async ({ user, ctx }) => {
  await auth.signOut(user, ctx.token);
  return noContent();
});
