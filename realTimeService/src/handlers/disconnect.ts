import { websocket } from '../app/core';
import { registry } from '../app/registry';

export const handler = websocket.lifecycle(({ ctx }) => registry.disconnect(ctx.connectionId, ctx.correlationId));
