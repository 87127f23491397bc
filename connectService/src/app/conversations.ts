import { MembersByUserTable } from '@shared/chat/adapters/members-by-user-table';
import { Parameter } from '@shared/platform';
import { MessagesUnreadCounter } from '../adapters/unread-counter';
import { ConversationViews } from '../conversation-view';
import { ConversationUseCases } from '../conversations';
import { LIMITS } from '../limits';
import { runtime, setting } from './core';
import { conversationsTable, notifier, usersTable } from './tables';

export { route } from './core';

export const conversations = new ConversationUseCases({
  conversations: conversationsTable,
  members: new MembersByUserTable(runtime.db, setting(Parameter.membersTable)),
  users: usersTable,
  views: new ConversationViews(usersTable, new MessagesUnreadCounter(runtime.db, setting(Parameter.messagesTable), LIMITS.unreadCap)),
  notifier,
});
