import { typing, websocket } from '../app';
import { TypingFrame } from '../schemas';

export const handler = websocket.route({ frame: TypingFrame }, ({ frame, user, ctx }) => typing.update(user, frame, ctx.correlationId));
