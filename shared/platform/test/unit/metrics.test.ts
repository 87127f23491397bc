import type { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import fs from 'node:fs';
import path from 'node:path';
import { Metrics, METRICS_NAMESPACE } from '../../src/observability/metrics';

function fakeCloudWatch(fail = false) {
  const sent: PutMetricDataCommand[] = [];
  const client = {
    send: async (command: PutMetricDataCommand) => {
      if (fail) throw new Error('throttled');
      sent.push(command);
      return {};
    },
  } as unknown as Pick<CloudWatchClient, 'send'>;
  return { client, sent };
}

describe('Metrics', () => {
  it('sends nothing while metrics are disabled, and forgets the buffer', async () => {
    const cw = fakeCloudWatch();
    let enabled = false;
    const metrics = new Metrics(cw.client, async () => enabled);
    metrics.count('MessagesPublished', 3);
    await metrics.flush();
    expect(cw.sent).toHaveLength(0);
    enabled = true;
    await metrics.flush();
    expect(cw.sent).toHaveLength(0);
  });

  it('sends one buffered batch per flush in namespace RealTimeChat', async () => {
    const cw = fakeCloudWatch();
    const metrics = new Metrics(cw.client, async () => true);
    metrics.count('MessagesPublished', 3);
    metrics.count('FanoutFailures', 1, { Reason: 'gone' });
    metrics.gauge('ActiveConnections', 7);
    await metrics.flush();
    expect(cw.sent).toHaveLength(1);
    const input = cw.sent[0]!.input;
    expect(input.Namespace).toBe('RealTimeChat');
    expect(input.MetricData?.map((d) => [d.MetricName, d.Value])).toEqual([
      ['MessagesPublished', 3],
      ['FanoutFailures', 1],
      ['ActiveConnections', 7],
    ]);
    expect(input.MetricData?.[1]?.Dimensions).toEqual([{ Name: 'Reason', Value: 'gone' }]);
  });

  it('splits more than 1000 datums into several calls', async () => {
    const cw = fakeCloudWatch();
    const metrics = new Metrics(cw.client, async () => true);
    for (let i = 0; i < 2500; i++) metrics.count('X');
    await metrics.flush();
    expect(cw.sent.map((c) => c.input.MetricData?.length)).toEqual([1000, 1000, 500]);
  });

  it('never throws when CloudWatch fails', async () => {
    const metrics = new Metrics(fakeCloudWatch(true).client, async () => true);
    metrics.count('X');
    await expect(metrics.flush()).resolves.toBeUndefined();
  });
});

describe('the metrics namespace', () => {
  it('is the one the functions are allowed to publish to (serverless.common.yml), or PutMetricData would be denied and the flush would only log it', () => {
    const common = fs.readFileSync(path.resolve(__dirname, '../../../../serverless.common.yml'), 'utf8');
    expect(common).toMatch(new RegExp(`cloudwatch:namespace: ${METRICS_NAMESPACE}\\s*$`, 'm'));
  });
});
