import { badRequest } from '../../src/errors';
import { invoke } from '../../src/invocation';
import { logger } from '../../src/observability/logger';

/** The lines the core writes, by message. */
function capture() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation((message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields }));
  }
  return lines;
}

afterEach(() => jest.restoreAllMocks());

const at = { trigger: 'sns' as const, requestId: 'r1', correlationId: 'c1' };

describe('invoke (the one core around every trigger)', () => {
  it('answers, flushes and ends with one request.completed line saying ok', async () => {
    const lines = capture();
    let flushed = 0;
    await expect(invoke(at, { flush: async () => void flushed++, describe: (n: number) => ({ status: n }) }, async () => 200)).resolves.toBe(200);
    expect(flushed).toBe(1);
    expect(lines.filter((l) => l.message === 'request.completed')).toEqual([{ level: 'info', message: 'request.completed', fields: expect.objectContaining({ outcome: 'ok', status: 200 }) }]);
  });

  it('without answerFailure rethrows (so the trigger retries), logs request.failed even for an AppError, still flushes and completes', async () => {
    const lines = capture();
    let flushed = 0;
    await expect(invoke(at, { flush: async () => void flushed++ }, async () => Promise.reject(badRequest('not a chat event')))).rejects.toThrow('not a chat event');
    expect(flushed).toBe(1);
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['error', 'request.failed'],
      ['info', 'request.completed'],
    ]);
    expect(lines[1]!.fields).toMatchObject({ outcome: 'failed' });
  });

  it("with answerFailure answers a client's mistake as rejected and our own fault as failed", async () => {
    const lines = capture();
    const hooks = { flush: async () => undefined, answerFailure: () => 'answered' };
    await expect(invoke(at, hooks, async () => Promise.reject(badRequest('bad')))).resolves.toBe('answered');
    await expect(invoke(at, hooks, async () => Promise.reject(new Error('boom')))).resolves.toBe('answered');
    expect(lines.map((l) => [l.message, l.fields?.outcome])).toEqual([
      ['request.rejected', undefined],
      ['request.completed', 'rejected'],
      ['request.failed', undefined],
      ['request.completed', 'failed'],
    ]);
  });

  it('still completes when the flush itself fails', async () => {
    const lines = capture();
    await expect(invoke(at, { flush: async () => Promise.reject(new Error('throttled')) }, async () => 'ok')).resolves.toBe('ok');
    expect(lines.map((l) => l.message)).toEqual(['metrics.flush_failed', 'request.completed']);
  });
});
