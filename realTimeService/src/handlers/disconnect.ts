import { websocket } from '../app/core';
import { registry } from '../app/delivery';

export const handler = websocket.lifecycle(({ ctx }) => registry.disconnect(ctx.connectionId, ctx.correlationId));
