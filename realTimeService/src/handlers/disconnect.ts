import { registry, websocket } from '../app';

export const handler = websocket.lifecycle(({ ctx }) => registry.disconnect(ctx.connectionId, ctx.correlationId));
