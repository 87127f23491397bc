import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { awsConfig, endpoints } from '../../../test/support/stack';
import { captureEvents, closeDb, conversationItem, conversationWith, message, messagesPath, sent, sleep, storedItems, user } from './support';

afterAll(() => closeDb());

// Functions cache SSM values for 2 s in the test stack; waiting a little longer makes every
// container see a changed parameter (this wait is the only way to observe it from outside).
const CONFIG_SETTLE_MS = 3500;

async function publishFailures(cloudWatch: CloudWatchClient, since: Date): Promise<number> {
  const out = await cloudWatch.send(
    new GetMetricStatisticsCommand({
      Namespace: 'RealTimeChat',
      MetricName: 'EventPublishFailures',
      StartTime: since,
      EndTime: new Date(Date.now() + 60_000),
      Period: 3600,
      Statistics: ['Sum'],
    }),
  );
  return (out.Datapoints ?? []).reduce((sum, d) => sum + (d.Sum ?? 0), 0);
}

describe('a failed publish does not lose the write, and the event is delivered later', () => {
  it('keeps undelivered events in the outbox, counts them, and publishes them with the next change in the conversation', async () => {
    const e = endpoints();
    const ssm = new SSMClient(awsConfig(e.ssm));
    const cloudWatch = new CloudWatchClient(awsConfig(e.cloudwatch));
    const [a, b] = [await user('Outbox Sender'), await user('Outbox Reader')];
    const conversationId = await conversationWith(a, [{ user: b }]);
    const capture = await captureEvents();
    const started = new Date(Date.now() - 60_000);
    const original = {
      topic: (await ssm.send(new GetParameterCommand({ Name: '/SNS_TOPIC_ARN' }))).Parameter!.Value!,
      metrics: (await ssm.send(new GetParameterCommand({ Name: '/ENABLE_METRICS' }))).Parameter!.Value!,
    };
    const put = (Name: string, Value: string) => ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', Overwrite: true }));
    let first: any;
    let edited: any;
    try {
      await put('/ENABLE_METRICS', 'true');
      await put('/SNS_TOPIC_ARN', `${original.topic}-does-not-exist`);
      await sleep(CONFIG_SETTLE_MS);

      // SNS refuses (no such topic): the writes still stand.
      first = await sent(a, conversationId, 'written while SNS is down');
      const edit = await message('PATCH', messagesPath(conversationId, `/${first.messageId}`), a.accessToken, { content: 'edited while SNS is down' });
      expect(edit.status).toBe(200);
      edited = edit.body;
      expect((await message('GET', messagesPath(conversationId, `/${first.messageId}`), b.accessToken)).body).toEqual(edited);

      const outbox = await storedItems(conversationId, 'OUTBOX#');
      expect(outbox.map((i) => i.eventType)).toEqual(['message.created', 'message.edited']);
      expect((await conversationItem(conversationId))?.pendingEvents).toBe(2);
      expect(await publishFailures(cloudWatch, started)).toBeGreaterThanOrEqual(2);
    } finally {
      await put('/SNS_TOPIC_ARN', original.topic);
      await put('/ENABLE_METRICS', original.metrics);
      await sleep(CONFIG_SETTLE_MS);
    }

    try {
      // Nothing about those two reached SNS.
      expect(capture.events.filter((ev) => ev.conversationId === conversationId && ev.type.startsWith('message.'))).toEqual([]);

      // The next change in the conversation publishes the kept events first, then its own.
      const next = await sent(b, conversationId, 'SNS is back');
      const created = await capture.waitFor((ev) => ev.type === 'message.created' && ev.data.messageId === first.messageId, 'kept message.created');
      const editEvent = await capture.waitFor((ev) => ev.type === 'message.edited' && ev.data.messageId === first.messageId, 'kept message.edited');
      await capture.waitFor((ev) => ev.type === 'message.created' && ev.data.messageId === next.messageId, 'new message.created');
      expect(created.data).toEqual(first);
      expect(editEvent.data).toEqual(edited);
      expect(created.occurredAt <= editEvent.occurredAt).toBe(true);

      expect(await storedItems(conversationId, 'OUTBOX#')).toEqual([]);
      expect((await conversationItem(conversationId))?.pendingEvents).toBe(0);

      // Delivered once each: another change does not publish them again.
      const marker = await sent(a, conversationId, 'marker');
      await capture.waitFor((ev) => ev.data.messageId === marker.messageId, 'marker');
      expect(capture.events.filter((ev) => ev.data.messageId === first.messageId).map((ev) => ev.type)).toEqual(['message.created', 'message.edited']);

      // Clients that were offline meanwhile catch up with after=<last seq they saw> regardless.
      const catchUp = await message('GET', messagesPath(conversationId, `?after=${first.seq - 1}`), b.accessToken);
      expect(catchUp.body.items.map((m: any) => m.messageId)).toEqual([first.messageId, next.messageId, marker.messageId]);
    } finally {
      await capture.stop();
      ssm.destroy();
      cloudWatch.destroy();
    }
  }, 120_000);
});
