import type { ConnectionRecord, EphemeralEvent, Removal } from '../../src/ports';
import { ConnectionRegistry } from '../../src/connection-registry';
import { FakeAudience, user } from './fakes';
import { RecordingMetrics } from '../../../shared/platform/test/fakes';

const NOW = new Date('2024-05-01T10:00:00Z');

/** The table's bookkeeping in memory: rows, per-user sets and the counter. */
class FakeTable {
  rows = new Map<string, ConnectionRecord>();
  removals: { connectionId: string; options: unknown }[] = [];
  private userCount = (userId: string) => [...this.rows.values()].filter((r) => r.userId === userId).length;
  async add(record: ConnectionRecord) {
    this.rows.set(record.connectionId, record);
    return { userConnections: this.userCount(record.userId), activeConnections: this.rows.size };
  }
  async get(connectionId: string) {
    return this.rows.get(connectionId);
  }
  async remove(connectionId: string, options: { userId?: string; connectedBefore?: string } = {}): Promise<Removal> {
    this.removals.push({ connectionId, options });
    const row = this.rows.get(connectionId);
    if (!row) return { kind: 'absent' };
    if (options.connectedBefore && row.connectedAt >= options.connectedBefore) return { kind: 'kept' };
    this.rows.delete(connectionId);
    return { kind: 'removed', userId: row.userId, userConnections: this.userCount(row.userId), activeConnections: this.rows.size };
  }
  async activeConnections() {
    return this.rows.size;
  }
}

function setup(failPresence = false) {
  const table = new FakeTable();
  const audience = new FakeAudience();
  const metrics = new RecordingMetrics();
  const presence: EphemeralEvent[] = [];
  const ephemeral = { publish: async (e: EphemeralEvent) => (failPresence ? Promise.reject(new Error('Redis is not available')) : void presence.push(e)) };
  let now = NOW;
  const registry = new ConnectionRegistry(table, audience, ephemeral, metrics, () => now);
  return { table, audience, metrics, presence, registry, later: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const statuses = (events: EphemeralEvent[]) => events.map((e) => (e.kind === 'presence' ? `${e.userId}:${e.status}` : e.kind));

describe('ConnectionRegistry', () => {
  it('records the verified user with a TTL past API Gateway\'s two hours, and says online only for the first device', async () => {
    const { table, presence, metrics, audience, registry } = setup();
    await registry.connect('c-1', user('ann'), 'corr');
    await registry.connect('c-2', user('ann'), 'corr');
    expect(table.rows.get('c-1')).toMatchObject({ userId: 'ann', connectedAt: NOW.toISOString(), tokenIssuedAt: 1_700_000_000, tokenUse: 'access' });
    expect(table.rows.get('c-1')!.expiresAt - NOW.getTime() / 1000).toBeGreaterThan(2 * 3600);
    expect(statuses(presence)).toEqual(['ann:online']);
    expect(metrics.gauges.ActiveConnections).toEqual([1, 2]);
    expect(audience.forgotten).toEqual(['connections:ann', 'connections:ann']);
  });

  it('says offline when the last device disconnects, and keeps the gauge true', async () => {
    const { presence, metrics, registry } = setup();
    await registry.connect('c-1', user('ann'), 'corr');
    await registry.connect('c-2', user('ann'), 'corr');
    await registry.disconnect('c-1', 'corr');
    await registry.disconnect('c-2', 'corr');
    await registry.disconnect('c-2', 'corr'); // a repeated $disconnect changes nothing
    expect(statuses(presence)).toEqual(['ann:online', 'ann:offline']);
    expect(metrics.gauges.ActiveConnections).toEqual([1, 2, 1, 0]);
  });

  it('removes a gone connection older than the grace period, keeps a younger one', async () => {
    const { table, registry, later, presence } = setup();
    await registry.connect('old', user('ann'), 'corr');
    later(60_000);
    await registry.connect('young', user('ben'), 'corr');
    expect(await registry.forgetGone('old', 'ann', 'corr', 10_000)).toBe(true);
    expect(await registry.forgetGone('young', 'ben', 'corr', 10_000)).toBe(false);
    expect([...table.rows.keys()]).toEqual(['young']);
    expect(statuses(presence)).toEqual(['ann:online', 'ben:online', 'ann:offline']);
  });

  it('tidies the cache for a gone connection whose row had already gone', async () => {
    const { audience, registry } = setup();
    expect(await registry.forgetGone('ghost', 'ann', 'corr', 10_000)).toBe(true);
    expect(audience.forgotten).toEqual(['connections:ann']);
  });

  it('connects even when presence cannot be announced (Redis down), counting the drop', async () => {
    const { table, metrics, registry } = setup(true);
    await registry.connect('c-1', user('ann'), 'corr');
    expect(table.rows.has('c-1')).toBe(true);
    expect(metrics.counts).toEqual({ EphemeralDropped: 1 });
  });
});
