import { websocket } from '../app/core';
import { answerUnroutedFrame } from '../unrouted-frames';

/** `$default`: ping → pong without a lookup; anything else → `error` naming the supported actions. */
export const handler = websocket.route({ anonymous: true }, async ({ raw, ctx }) => answerUnroutedFrame(raw, ctx.correlationId));
