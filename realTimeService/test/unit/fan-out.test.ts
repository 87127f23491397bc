import { serverFrame } from '@shared/platform/websocket';
import { FanOut } from '../../src/fan-out';
import { FakeAudience, FakeGateway } from './fakes';
import { RecordingMetrics } from '../../../shared/platform/test/fakes';

function setup(concurrency = 25) {
  const audience = new FakeAudience();
  const gateway = new FakeGateway();
  const metrics = new RecordingMetrics();
  const forgotten: { connectionId: string; userId: string; graceMs: number }[] = [];
  const registry = {
    forgetGone: async (connectionId: string, userId: string, _correlationId: string, graceMs: number) => {
      forgotten.push({ connectionId, userId, graceMs });
      return !connectionId.startsWith('fresh');
    },
  };
  return { audience, gateway, metrics, forgotten, fanOut: new FanOut(audience, gateway, registry, metrics, { concurrency, goneGraceMs: 7_000 }) };
}

describe('FanOut', () => {
  const frame = serverFrame('message.created', { conversationId: 'c', eventId: 'e', seq: 1 }, 'corr-1');

  it('posts the same frame to every connection of every user, once each', async () => {
    const { audience, gateway, metrics, fanOut } = setup();
    audience.connections.set('ann', ['ann-1', 'ann-2']).set('ben', ['ben-1']);
    const report = await fanOut.fanOutToUsers(frame, ['ann', 'ben', 'cat']);
    expect(report).toEqual({ recipients: 3, connections: 3, delivered: 3, gone: 0, failed: 0 });
    expect(gateway.posted.map((p) => p.connectionId).sort()).toEqual(['ann-1', 'ann-2', 'ben-1']);
    expect(gateway.posted.every((p) => JSON.stringify(p.frame) === JSON.stringify(frame))).toBe(true);
    expect(metrics.counts).toEqual({ MessagesPublished: 3 });
    expect(gateway.posters).toBe(1);
  });

  it('keeps at most `concurrency` posts in flight', async () => {
    const { audience, gateway, fanOut } = setup(4);
    audience.connections.set('crowd', Array.from({ length: 50 }, (_, i) => `c-${i}`));
    const report = await fanOut.fanOutToUsers(frame, ['crowd']);
    expect(report.delivered).toBe(50);
    expect(gateway.maxInFlight).toBe(4);
  });

  it('removes connections found gone (only those), counts failures, and still delivers to the rest', async () => {
    const { audience, gateway, metrics, forgotten, fanOut } = setup();
    audience.connections.set('ann', ['ann-live', 'ann-gone']).set('ben', ['ben-broken', 'fresh-ben']);
    gateway.outcomes.set('ann-gone', 'gone').set('ben-broken', 'failed').set('fresh-ben', 'gone');
    const report = await fanOut.fanOutToUsers(frame, ['ann', 'ben']);
    expect(report).toEqual({ recipients: 2, connections: 4, delivered: 1, gone: 1, failed: 1 });
    expect(forgotten).toEqual(
      expect.arrayContaining([
        { connectionId: 'ann-gone', userId: 'ann', graceMs: 7_000 },
        { connectionId: 'fresh-ben', userId: 'ben', graceMs: 7_000 },
      ]),
    );
    expect(forgotten).toHaveLength(2);
    expect(metrics.counts).toEqual({ MessagesPublished: 1, FanoutFailures: 1 });
  });

  it('does not let a failed clean-up fail the delivery', async () => {
    const audience = new FakeAudience();
    audience.connections.set('ann', ['gone-1', 'live-1']);
    const gateway = new FakeGateway();
    gateway.outcomes.set('gone-1', 'gone');
    const registry = { forgetGone: async () => Promise.reject(new Error('DynamoDB throttled')) };
    const report = await new FanOut(audience, gateway, registry, new RecordingMetrics()).fanOutToUsers(frame, ['ann']);
    expect(report).toMatchObject({ delivered: 1, gone: 0, failed: 0 });
  });

  it('sends nothing and counts nothing for an audience without connections', async () => {
    const { gateway, metrics, fanOut } = setup();
    expect(await fanOut.fanOutToUsers(frame, ['nobody'])).toEqual({ recipients: 1, connections: 0, delivered: 0, gone: 0, failed: 0 });
    expect(gateway.posted).toEqual([]);
    expect(metrics.counts).toEqual({});
  });
});
