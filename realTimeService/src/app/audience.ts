import { MembersByUserTable } from '@shared/chat/adapters/members-by-user-table';
import { Parameter } from '@shared/platform';
import { Audience } from '../audience';
import { connections } from './connections';
import { runtime } from './core';
import { cache } from './redis';

/** Who receives what: members, their conversations and connections, DynamoDB behind the Redis cache. */
export const audience = new Audience(new MembersByUserTable(runtime.db, () => runtime.config.get(Parameter.membersTable)), connections, cache);
