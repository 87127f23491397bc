import { websocket } from '../app/core';
import { typing } from '../app/delivery';
import { TypingFrame } from '../schemas';

export const handler = websocket.route({ frame: TypingFrame }, ({ frame, user, ctx }) => typing.update(user, frame, ctx.correlationId));
