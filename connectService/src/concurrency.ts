import { conflict, logger, retry, RETRY } from '@shared/platform';
import { ConcurrentChangeError } from '@shared/chat';

/**
 * Optimistic concurrency for the use cases: `work` reads what it needs, decides, and writes with
 * conditions on what it read. When a condition fails (someone changed the conversation meanwhile)
 * it runs again on fresh reads, so the answer (404, 409, 403 or success) reflects the state that
 * won. Full-jitter backoff keeps colliding callers from colliding again.
 */
export async function retryOnConcurrentChange<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  const outcome = await retry({ attempts, backoff: { baseMs: 20 } }, async (attempt) => {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof ConcurrentChangeError)) throw err;
      logger.info('conversation.concurrent_change', { attempt, reasons: err.reasons });
      return RETRY;
    }
  });
  if (outcome === RETRY) throw conflict('The conversation changed while the request was applied; retry');
  return outcome;
}
