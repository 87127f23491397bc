import { answer, noContent } from '@shared/platform';
import { auth, route } from '../app';

export const handler = route(
  { summary: "Sign out everywhere: the caller's earlier tokens are refused by every service", answers: { 204: answer('Signed out') } },
  async ({ user, ctx }) => {
    await auth.signOut(user, ctx.token);
    return noContent();
  },
);
