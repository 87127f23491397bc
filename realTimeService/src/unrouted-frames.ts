import { badRequest, validate } from '@shared/platform';
import { serverFrame, type ServerFrame } from '@shared/platform/websocket';
import { PingFrame, SUPPORTED_ACTIONS } from './schemas';

const SUPPORTED = `supported actions: ${SUPPORTED_ACTIONS.join(', ')}`;

/**
 * `$default`: every frame no route claims. `ping` lives here (it has no route of its own) and is
 * answered with `pong`; anything else is an `error` naming the supported actions.
 */
export function answerUnroutedFrame(raw: string, correlationId: string): ServerFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(raw);
  } catch {
    throw badRequest(`Frames are JSON objects with an "action"; ${SUPPORTED}`);
  }
  const action = frame && typeof frame === 'object' ? (frame as { action?: unknown }).action : undefined;
  if (action === 'ping') {
    validate(PingFrame, frame, 'frame');
    return serverFrame('pong', {}, correlationId);
  }
  const named = typeof action === 'string' ? `Unknown action "${action.slice(0, 64)}"` : 'Missing "action"';
  throw badRequest(`${named}; ${SUPPORTED}`, 'action');
}
