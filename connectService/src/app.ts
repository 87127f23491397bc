import { ConversationsTable, MembersTable, UsersTable } from '@shared/chat/adapters';
import { createRuntime, Parameter, type ParameterName } from '@shared/platform';
import { MessagesUnreadCounter } from './adapters/unread-counter';
import { ConversationViews } from './conversation-view';
import { ConversationUseCases } from './conversations';
import { EventNotifier } from './event-notifier';
import { LIMITS } from './limits';
import { MemberUseCases } from './members';
import { UserSearch } from './user-search';
import { createEventPublisher } from '@shared/chat/compose';

/** connectService's composition root: built once per Lambda container. */
export const runtime = createRuntime();
export const route = runtime.route;

// Table names are read from SSM when first needed, so each function reads (and may read) only its own.
const setting = (name: ParameterName) => () => runtime.config.get(name);
const conversationsTable = new ConversationsTable(runtime.db, setting(Parameter.conversationsTable), setting(Parameter.membersTable));
const membersTable = new MembersTable(runtime.db, setting(Parameter.membersTable));
const usersTable = new UsersTable(runtime.db, setting(Parameter.usersTable));
const notifier = new EventNotifier(createEventPublisher(runtime), runtime.metrics);

export const conversations = new ConversationUseCases({
  conversations: conversationsTable,
  members: membersTable,
  users: usersTable,
  views: new ConversationViews(usersTable, new MessagesUnreadCounter(runtime.db, setting(Parameter.messagesTable), LIMITS.unreadCap)),
  notifier,
});

export const members = new MemberUseCases({ conversations: conversationsTable, members: membersTable, users: usersTable, notifier });

export const userSearch = new UserSearch(usersTable);
