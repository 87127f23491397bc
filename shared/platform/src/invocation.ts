import { AppError } from './errors';
import { logger, type LogFields } from './observability/logger';

/** What started a function, as operators filter on it (`trigger` in every log line). */
export type Trigger = 'http' | 'websocket' | 'sns' | 'schedule' | 'worker';

export interface Invocation {
  trigger: Trigger;
  /** The Lambda request id (what operators find in CloudWatch), or the worker's own id. */
  requestId: string;
  correlationId: string;
  /** More keys for every log line of the invocation: route, connectionId, snsMessageId, … */
  fields?: LogFields;
}

export interface InvocationHooks<R> {
  /** Sends what the invocation buffered (its metrics), at the end, whatever happened. */
  flush: () => Promise<void>;
  /** What the `request.completed` line says of an answer, e.g. `{status}`. */
  describe?: (answer: R) => LogFields;
  /**
   * Turns a failure into an answer (an HTTP error body, a WebSocket error frame, a refused
   * connection). Without it the failure is rethrown, so the trigger retries (SNS, schedule).
   */
  answerFailure?: (err: unknown) => R;
}

let coldStart = true;

/**
 * The one core around every function, whatever triggers it (HTTP, WebSocket, SNS, schedule, the
 * local worker): log context with request and correlation ids and `coldStart`, the failure logged
 * once (`request.rejected` for a client's mistake, `request.failed` with the error for ours), the
 * metric flush, and one `request.completed` line with `outcome` (ok, rejected, failed) and
 * `durationMs` for every invocation.
 *
 * @example
 *   invoke({ trigger: 'sns', requestId, correlationId: requestId }, { flush: () => metrics.flush() }, () => deliver(event));
 */
export async function invoke<R>(invocation: Invocation, hooks: InvocationHooks<R>, work: () => Promise<R>): Promise<R> {
  const wasCold = coldStart;
  coldStart = false;
  const { trigger, requestId, correlationId, fields } = invocation;
  return logger.withContext({ requestId, correlationId, ...fields, trigger, coldStart: wasCold }, async () => {
    const started = Date.now();
    let completed: LogFields = { outcome: 'failed' };
    try {
      const answer = await work();
      completed = { outcome: 'ok', ...hooks.describe?.(answer) };
      return answer;
    } catch (err) {
      // A client's mistake only where there is a client to answer; elsewhere (SNS, schedule) it is ours.
      const rejected = hooks.answerFailure !== undefined && isClientError(err);
      if (rejected) logger.info('request.rejected', { status: err.status, code: err.code, reason: err.message });
      else logger.error('request.failed', { error: err });
      if (!hooks.answerFailure) throw err;
      const answer = hooks.answerFailure(err);
      completed = { outcome: rejected ? 'rejected' : 'failed', ...hooks.describe?.(answer) };
      return answer;
    } finally {
      await hooks.flush().catch((err: unknown) => logger.warn('metrics.flush_failed', { error: err }));
      logger.info('request.completed', { ...completed, durationMs: Date.now() - started });
    }
  });
}

/** A mistake of the client's (4xx): answered and logged at info, never an alarm. */
const isClientError = (err: unknown): err is AppError => err instanceof AppError && err.status < 500;
