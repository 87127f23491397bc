import { runtime, websocket } from '../app/core';
import { registry } from '../app/delivery';

/** `$connect?token=<jwt>`: a missing, invalid or revoked token refuses the connection (401). */
export const handler = websocket.lifecycle(async ({ query, ctx }) => {
  const user = await runtime.verifier.verify(query.token);
  await registry.connect(ctx.connectionId, user, ctx.correlationId);
});
