import { answer, ok } from '@shared/platform';
import { route, userSearch } from '../app/search';
import { UserPageSchema } from '../user-search';
import { SearchUsersQuery } from '../schemas';

export const handler = route(
  {
    query: SearchUsersQuery,
    summary: 'Users whose name or email starts with `q`, case-insensitively',
    answers: { 200: answer('A page; nextCursor is null at the end', UserPageSchema) },
  },
  async ({ query, user }) => ok(await userSearch.search(user.userId, query)),
);
