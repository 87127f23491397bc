import { websocket } from '../app/core';
import { verifier } from '../app/tokens';
import { registry } from '../app/registry';

/** `$connect?token=<jwt>`: a missing, invalid or revoked token refuses the connection (401). */
export const handler = websocket.lifecycle(async ({ query, ctx }) => {
  const user = await verifier.verify(query.token);
  await registry.connect(ctx.connectionId, user, ctx.correlationId);
});
