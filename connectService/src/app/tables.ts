import { ConversationsTable, MembersTable, UsersTable } from '@shared/chat/adapters';
import { createEventPublisher } from '@shared/chat/compose';
import { Parameter } from '@shared/platform';
import { EventNotifier } from '../event-notifier';
import { runtime, setting } from './core';

/** What the conversation and member use cases both write through. */
export const conversationsTable = new ConversationsTable(runtime.db, setting(Parameter.conversationsTable), setting(Parameter.membersTable));
export const membersTable = new MembersTable(runtime.db, setting(Parameter.membersTable));
export const usersTable = new UsersTable(runtime.db, setting(Parameter.usersTable));
export const notifier = new EventNotifier(createEventPublisher(runtime), runtime.metrics);
