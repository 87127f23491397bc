import { backoffMs, retry, RETRY } from '../../src/retry';
import { cancellationReasons, isConditionalCheckFailed, isTransactionConflict, lostToConcurrentWrite } from '../../src/aws/dynamo-errors';

describe('retry', () => {
  it('stops at the first answer that is not RETRY', async () => {
    const seen: number[] = [];
    const out = await retry({ attempts: 5 }, async (n) => (seen.push(n), n < 3 ? RETRY : `done at ${n}`));
    expect(out).toBe('done at 3');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives back RETRY when the attempts run out, counting and waiting a full-jitter backoff between them', async () => {
    const waits: number[] = [];
    const retried: number[] = [];
    const out = await retry(
      { attempts: 4, backoff: { baseMs: 10, capMs: 50 }, onRetry: (n) => retried.push(n), sleep: async (ms) => void waits.push(ms), random: () => 1 },
      async () => RETRY,
    );
    expect(out).toBe(RETRY);
    expect(retried).toEqual([1, 2, 3]);
    expect(waits).toEqual([20, 40, 50]);
    expect(backoffMs(3, { baseMs: 10 }, () => 0.5)).toBe(40);
  });

  it('asks keepTrying after each wait, and starts no attempt once it says no', async () => {
    let now = 0;
    let attempts = 0;
    await retry({ attempts: 10, backoff: { baseMs: 1 }, keepTrying: () => now < 1000, sleep: async () => void (now += 400) }, async () => (attempts++, RETRY));
    expect(attempts).toBe(3);
  });

  it('lets anything thrown end the loop', async () => {
    await expect(retry({ attempts: 3 }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});

describe('DynamoDB errors', () => {
  const cancelled = (...codes: string[]) => Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });
  const named = (name: string) => Object.assign(new Error(name), { name });

  it('tells a lost race from anything else', () => {
    expect(isConditionalCheckFailed(named('ConditionalCheckFailedException'))).toBe(true);
    expect(isTransactionConflict(named('TransactionConflictException'))).toBe(true);
    expect(cancellationReasons(cancelled('None', 'ConditionalCheckFailed')).map((r) => r?.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(cancellationReasons(named('ValidationException'))).toEqual([]);
    for (const lost of [named('ConditionalCheckFailedException'), named('TransactionConflictException'), cancelled('None', 'ConditionalCheckFailed'), cancelled('TransactionConflict', 'None')]) {
      expect(lostToConcurrentWrite(lost)).toBe(true);
    }
    for (const other of [named('ValidationException'), cancelled('None', 'ValidationError'), new Error('network'), undefined]) {
      expect(lostToConcurrentWrite(other)).toBe(false);
    }
  });
});
