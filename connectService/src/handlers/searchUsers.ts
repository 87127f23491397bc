import { ok } from '@shared/platform';
import { route, userSearch } from '../app';
import { SearchUsersQuery } from '../schemas';

export const handler = route({ query: SearchUsersQuery }, async ({ query, user }) => ok(await userSearch.search(user.userId, query)));
