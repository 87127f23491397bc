import { identifiedWebsocket } from '../app/identified';
import { typing } from '../app/typing';
import { TypingFrame } from '../schemas';

export const handler = identifiedWebsocket.route({ frame: TypingFrame }, ({ frame, user, ctx }) => typing.update(user, frame, ctx.correlationId));
