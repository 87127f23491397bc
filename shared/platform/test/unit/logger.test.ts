import { Logger, shortFunctionName } from '../../src/observability/logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = new Logger({ service: 'svc' }, 'info', (line) => lines.push(JSON.parse(line)));
  return { logger, lines };
}

describe('Logger', () => {
  it('writes one JSON line with the invocation context and drops levels below the minimum', async () => {
    const { logger, lines } = capture();
    await logger.withContext({ correlationId: 'c-1' }, async () => {
      logger.appendKeys({ userId: 'u-1' });
      logger.debug('hidden');
      logger.info('hello', { conversationId: 'k' });
    });
    logger.info('outside');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', message: 'hello', service: 'svc', correlationId: 'c-1', userId: 'u-1', conversationId: 'k' }),
      expect.not.objectContaining({ correlationId: expect.anything() }),
    ]);
  });

  it('keeps concurrent invocations apart', async () => {
    const { logger, lines } = capture();
    const run = (id: string, delay: number) =>
      logger.withContext({ correlationId: id }, async () => {
        await new Promise((r) => setTimeout(r, delay));
        logger.info('done');
      });
    await Promise.all([run('a', 20), run('b', 1)]);
    expect(lines.map((l) => l.correlationId)).toEqual(['b', 'a']);
  });

  it('serialises errors and keeps the context when a field cannot be serialised', async () => {
    const { logger, lines } = capture();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await logger.withContext({ correlationId: 'c-2' }, async () => {
      logger.error('failed', { error: new Error('boom') });
      logger.info('weird', { circular });
    });
    expect(lines[0]).toMatchObject({ error: { name: 'Error', message: 'boom', stack: expect.any(String) } });
    expect(lines[1]).toMatchObject({ message: 'weird', correlationId: 'c-2', unserialisableFields: true });
  });

  it('never lets a field hide the line\'s own message, level or time', () => {
    const { logger, lines } = capture();
    logger.error('event.invalid', { message: '{oops', level: 'debug', timestamp: 'then', snsMessageId: 'm-1' });
    expect(lines[0]).toMatchObject({ message: 'event.invalid', level: 'error', snsMessageId: 'm-1' });
    expect(lines[0]!.timestamp).not.toBe('then');
  });
});

describe('shortFunctionName', () => {
  it('strips service and stage, even a stage with hyphens', () => {
    expect(shortFunctionName('messageService-pr-12-sendMessage', 'messageService', 'pr-12')).toBe('sendMessage');
    expect(shortFunctionName('realTimeService-dev-snsFanoutHandler', undefined, undefined)).toBe('snsFanoutHandler');
    expect(shortFunctionName(undefined)).toBeUndefined();
  });
});
