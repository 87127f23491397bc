import { AppError } from '../errors';

/** Every server → client frame: `{type, data, correlationId}` (contract, "WebSocket"). */
export interface ServerFrame<T = Record<string, unknown>> {
  type: string;
  data: T;
  correlationId: string;
}

export const serverFrame = <T extends Record<string, unknown>>(type: string, data: T, correlationId: string): ServerFrame<T> => ({
  type,
  data,
  correlationId,
});

export interface ErrorFrameData extends Record<string, unknown> {
  code: string;
  message: string;
  field?: string;
  requestId: string;
  /** The action of the frame that failed, and its clientMessageId, so a client can tell which send failed. */
  action?: string;
  clientMessageId?: string;
}

/**
 * The `error` frame for any thrown value: AppErrors keep their contract code and message,
 * anything else is our fault and says no more than "Internal error".
 */
export function errorFrame(err: unknown, requestId: string, correlationId: string, echo: { action?: string; clientMessageId?: string } = {}): ServerFrame<ErrorFrameData> {
  const data: ErrorFrameData =
    err instanceof AppError
      ? { code: err.code, message: err.message, field: err.field, requestId, ...echo }
      : { code: 'INTERNAL', message: 'Internal error', requestId, ...echo };
  return serverFrame('error', data, correlationId);
}
