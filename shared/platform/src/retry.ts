/** What an attempt returns to ask for another one. */
export const RETRY = Symbol('retry');
export type Retry = typeof RETRY;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /**
   * The wait before attempt n+1: exponential, capped, with full jitter (a random share of it), so
   * callers that collided spread out instead of colliding again. Without it, retry at once (the
   * attempt re-reads, and the race is already decided).
   */
  backoff?: Backoff;
  /** Asked after each wait: no further attempt starts once it says false (a time budget). */
  keepTrying?: () => boolean;
  /** Called after each attempt that asked for another, before the wait, e.g. to count it. */
  onRetry?: (attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface Backoff {
  baseMs: number;
  capMs?: number;
  /** false: wait the whole exponential step (for a service's own throttling of batch items), not a random share. */
  jitter?: boolean;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait after failed attempt `attempt` (1-based) under `backoff`. */
export const backoffMs = (attempt: number, backoff: Backoff, random: () => number = Math.random): number =>
  Math.round((backoff.jitter === false ? 1 : random()) * Math.min(backoff.capMs ?? 10_000, backoff.baseMs * 2 ** attempt));

/**
 * The one retry loop, for optimistic concurrency (read, decide, write "if still as I saw it") and
 * for DynamoDB's unprocessed batch items alike: runs `attempt(n)` until it returns something other
 * than RETRY, at most `policy.attempts` times. Returns RETRY when they ran out, so the caller says
 * what that means (a 409, an error). Anything thrown ends the loop.
 */
export async function retry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T | Retry>): Promise<T | Retry> {
  const sleep = policy.sleep ?? pause;
  const random = policy.random ?? Math.random;
  for (let n = 1; n <= policy.attempts; n++) {
    if (n > 1) {
      policy.onRetry?.(n - 1);
      if (policy.backoff) await sleep(backoffMs(n - 1, policy.backoff, random));
      if (policy.keepTrying && !policy.keepTrying()) break;
    }
    const outcome = await attempt(n);
    if (outcome !== RETRY) return outcome;
  }
  return RETRY;
}
