import { UserSearchTable } from '@shared/chat/adapters/user-search-table';
import { Parameter } from '@shared/platform';
import { UserSearch } from '../user-search';
import { runtime, setting } from './core';

export { route } from './core';

export const userSearch = new UserSearch(new UserSearchTable(runtime.db, setting(Parameter.usersTable)));
