import { ConcurrentChangeError } from '@shared/chat';
import { conflict, logger } from '@shared/platform';

/**
 * Optimistic concurrency for the use cases: `work` reads what it needs, decides, and writes with
 * conditions on what it read. When a condition fails (someone changed the conversation meanwhile)
 * it runs again on fresh reads, so the answer (404, 409, 403 or success) reflects the state that
 * won. Full-jitter backoff keeps colliding callers from colliding again.
 */
export async function retryOnConcurrentChange<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof ConcurrentChangeError)) throw err;
      logger.info('conversation.concurrent_change', { attempt, reasons: err.reasons });
      if (attempt >= attempts) throw conflict('The conversation changed while the request was applied; retry');
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
    }
  }
}
