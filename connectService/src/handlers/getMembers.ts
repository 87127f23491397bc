import { answer, ok } from '@shared/platform';
import { members, route } from '../app/members';
import { MemberListSchema } from '../members';
import { ConversationPath } from '../schemas';

export const handler = route(
  {
    path: ConversationPath,
    summary: 'The members of a conversation',
    answers: { 200: answer('Every member, in the order they joined', MemberListSchema) },
  },
  async ({ path, user }) => ok(await members.list(user.userId, path.conversationId)),
);
