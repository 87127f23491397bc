import { noContent } from '@chat/shared';
import { auth, route } from '../app';

export const handler = route({}, async ({ user, ctx }) => {
  await auth.signOut(user, ctx.token);
  return noContent();
});
