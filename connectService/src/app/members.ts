import { MemberUseCases } from '../members';
import { conversationsTable, membersTable, notifier, usersTable } from './tables';

export { route } from './core';

export const members = new MemberUseCases({ conversations: conversationsTable, members: membersTable, users: usersTable, notifier });
