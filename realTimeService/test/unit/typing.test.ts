import type { EphemeralEvent, TypingChange } from '../../src/ports';
import { Typing } from '../../src/typing';
import { FakeAudience, user } from './fakes';
import { RecordingMetrics } from '../../../shared/platform/test/fakes';

function setup(change: TypingChange | Error) {
  const audience = new FakeAudience();
  audience.members.set('c-1', ['ann', 'ben']);
  const published: EphemeralEvent[] = [];
  const metrics = new RecordingMetrics();
  const state = { update: async () => (change instanceof Error ? Promise.reject(change) : change) };
  const typing = new Typing(audience, state, { publish: async (e: EphemeralEvent) => void published.push(e) }, metrics, () => new Date('2024-05-01T10:00:00Z'));
  return { typing, published, metrics };
}

describe('Typing', () => {
  it.each([
    ['started', true],
    ['stopped', false],
  ] as const)('publishes a change (%s) for the others', async (change, isTyping) => {
    const { typing, published } = setup(change);
    await typing.update(user('ann'), { conversationId: 'c-1', isTyping }, 'corr-1');
    expect(published).toEqual([{ kind: 'typing', conversationId: 'c-1', userId: 'ann', isTyping, correlationId: 'corr-1', at: '2024-05-01T10:00:00.000Z' }]);
  });

  it('publishes nothing when nothing changed (a repeated `true` only extends it)', async () => {
    const { typing, published } = setup('unchanged');
    await typing.update(user('ann'), { conversationId: 'c-1', isTyping: true }, 'corr');
    expect(published).toEqual([]);
  });

  it('answers 429 when a member starts typing too often', async () => {
    const { typing, published } = setup('limited');
    await expect(typing.update(user('ann'), { conversationId: 'c-1', isTyping: true }, 'corr')).rejects.toMatchObject({ status: 429 });
    expect(published).toEqual([]);
  });

  it('refuses a non-member with 403', async () => {
    const { typing } = setup('started');
    await expect(typing.update(user('eve'), { conversationId: 'c-1', isTyping: true }, 'corr')).rejects.toMatchObject({ status: 403 });
  });

  it('drops typing quietly, and counts it, while Redis is down', async () => {
    const { typing, published, metrics } = setup(new Error('Redis is not available'));
    await expect(typing.update(user('ann'), { conversationId: 'c-1', isTyping: true }, 'corr')).resolves.toBeUndefined();
    expect(published).toEqual([]);
    expect(metrics.counts).toEqual({ EphemeralDropped: 1 });
  });
});
