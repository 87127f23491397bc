import {
  BatchEntryIdsNotDistinctException, CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, InvalidParameterException,
  ListSubscriptionsByTopicCommand, ListSubscriptionsCommand, ListTopicsCommand, NotFoundException, PublishBatchCommand, PublishCommand,
  SNSClient, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { startLocalAws, type LocalAws } from '../../server';
import { ACCOUNT, cli, recorder, sdkConfig, type Json } from '../support';

jest.setTimeout(60_000);

const FN = 'realTimeService-dev-snsFanoutHandler';
const FN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${FN}`;

let aws: LocalAws;
let sns: SNSClient;
let lambda: Awaited<ReturnType<typeof recorder>>;
const logLines: string[] = [];

beforeAll(async () => {
  lambda = await recorder();
  aws = await startLocalAws({
    port: 0, region: 'us-east-1', log: (l) => logLines.push(l), snsRetryDelayMs: 20,
    resolveLambda: (name) => (name === FN ? lambda.url : undefined),
  });
  sns = new SNSClient(sdkConfig(aws));
});
afterAll(async () => {
  sns.destroy();
  await aws.stop();
  await lambda.close();
});
beforeEach(() => {
  lambda.received.length = 0;
  logLines.length = 0;
});

const events = (): SNSEvent[] => lambda.received.map((r) => JSON.parse(r.body) as SNSEvent);

describe('SNS topics and subscriptions through SDK v3', () => {
  it('creates topics idempotently, lists and describes them', async () => {
    const a = await sns.send(new CreateTopicCommand({ Name: 'chat-message-topic' }));
    const b = await sns.send(new CreateTopicCommand({ Name: 'chat-message-topic' }));
    expect(a.TopicArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:chat-message-topic`);
    expect(b.TopicArn).toBe(a.TopicArn);
    await sns.send(new CreateTopicCommand({ Name: 'workshop-alarms', Attributes: { DisplayName: 'Alarms' } }));
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).toEqual(expect.arrayContaining([a.TopicArn, `arn:aws:sns:us-east-1:${ACCOUNT}:workshop-alarms`]));
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:workshop-alarms` }));
    expect(attrs.Attributes).toMatchObject({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:workshop-alarms`, Owner: ACCOUNT, DisplayName: 'Alarms', SubscriptionsConfirmed: '0' });
    await expect(sns.send(new CreateTopicCommand({ Name: 'bad name!' }))).rejects.toBeInstanceOf(InvalidParameterException);
    const missing = await sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:nope` })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing).toMatchObject({ message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } });
  });

  it('subscribes lambda, http and email (pending), lists and unsubscribes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'subs-topic' }));
    const l = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: FN_ARN }));
    expect(l.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: FN_ARN }));
    expect(again.SubscriptionArn).toBe(l.SubscriptionArn);
    const h = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'http://127.0.0.1:1/hook' }));
    const e = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    expect(e.SubscriptionArn).toBe('pending confirmation');
    await expect(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(sns.send(new SubscribeCommand({ TopicArn: `${TopicArn}-gone`, Protocol: 'lambda', Endpoint: FN_ARN }))).rejects.toBeInstanceOf(NotFoundException);

    const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(byTopic.Subscriptions).toEqual(expect.arrayContaining([
      { SubscriptionArn: l.SubscriptionArn, Owner: ACCOUNT, Protocol: 'lambda', Endpoint: FN_ARN, TopicArn },
      { SubscriptionArn: h.SubscriptionArn, Owner: ACCOUNT, Protocol: 'http', Endpoint: 'http://127.0.0.1:1/hook', TopicArn },
      { SubscriptionArn: 'PendingConfirmation', Owner: ACCOUNT, Protocol: 'email', Endpoint: 'ops@example.com', TopicArn },
    ]));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes).toMatchObject({ SubscriptionsConfirmed: '2', SubscriptionsPending: '1' });

    await sns.send(new UnsubscribeCommand({ SubscriptionArn: h.SubscriptionArn }));
    const all = await sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions?.map((s) => s.SubscriptionArn)).not.toContain(h.SubscriptionArn);
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const after = await sns.send(new ListSubscriptionsCommand({}));
    expect(after.Subscriptions?.filter((s) => s.TopicArn === TopicArn)).toEqual([]);
    await expect(sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('SNS delivery', () => {
  let topicArn: string;
  let subscriptionArn: string;
  beforeAll(async () => {
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'delivery-topic' }))).TopicArn ?? '';
    subscriptionArn = (await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: FN_ARN }))).SubscriptionArn ?? '';
  });

  it('invokes the function through the Lambda Invoke API with the exact SNS event', async () => {
    const { MessageId } = await sns.send(new PublishCommand({
      TopicArn: topicArn, Subject: 'message.created', Message: JSON.stringify({ type: 'message.created', seq: 1 }), MessageGroupId: 'ignored',
      MessageAttributes: { eventType: { DataType: 'String', StringValue: 'message.created' }, seq: { DataType: 'Number', StringValue: '1' } },
    }));
    await aws.sns.drain();
    expect(lambda.received).toHaveLength(1);
    const [req] = lambda.received;
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`/2015-03-31/functions/${FN}/invocations`);
    expect(req.headers['x-amz-invocation-type']).toBe('Event');
    const event = JSON.parse(req.body) as SNSEvent;
    expect(event).toEqual({
      Records: [{
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification', MessageId, TopicArn: topicArn, Subject: 'message.created', Message: '{"type":"message.created","seq":1}',
          Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), SignatureVersion: '1', Signature: expect.any(String),
          SigningCertUrl: expect.stringMatching(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/.+\.pem$/),
          UnsubscribeUrl: `${aws.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
          MessageAttributes: { eventType: { Type: 'String', Value: 'message.created' }, seq: { Type: 'Number', Value: '1' } },
        },
      }],
    });
  });

  it('sends Subject null and empty MessageAttributes when absent, as SNS does', async () => {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'plain' }));
    await aws.sns.drain();
    expect(events()[0].Records[0].Sns).toMatchObject({ Subject: null, Message: 'plain', MessageAttributes: {} });
  });

  it('retries failed invocations with backoff and logs each failure', async () => {
    const flaky = await recorder((n) => (n < 2 ? 500 : 202));
    const local = await startLocalAws({ port: 0, region: 'us-east-1', log: (l) => logLines.push(l), snsRetryDelayMs: 30, resolveLambda: () => flaky.url });
    try {
      const arn = local.sns.createTopic('retry-topic');
      local.sns.subscribe(arn, 'lambda', FN_ARN);
      const started = Date.now();
      const { MessageId } = local.sns.publish(arn, { message: 'retry me' });
      await local.sns.drain();
      expect(flaky.received).toHaveLength(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(30 + 60 - 5);
      expect(new Set(flaky.received.map((r) => (JSON.parse(r.body) as SNSEvent).Records[0].Sns.MessageId))).toEqual(new Set([MessageId]));
      expect(logLines).toHaveLength(2);
      expect(logLines[0]).toMatch(/attempt 1\/4.*HTTP 500/);
      expect(logLines[1]).toMatch(/attempt 2\/4/);
    } finally {
      await local.stop();
      await flaky.close();
    }
  });

  it('gives up after the last attempt and logs functions it cannot resolve', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orphan-topic' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:unknownFn` }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'nobody home' }));
    await aws.sns.drain();
    expect(logLines).toHaveLength(4);
    expect(logLines[3]).toMatch(/attempt 4\/4\): no local Lambda endpoint for function unknownFn/);
  });

  it('POSTs the SNS JSON notification to http subscribers', async () => {
    const hook = await recorder(() => 200);
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'http-topic' }));
      const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${hook.url}/sns` }));
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'hello', Subject: 'greeting',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
      await aws.sns.drain();
      expect(hook.received).toHaveLength(1);
      const [req] = hook.received;
      expect(req.url).toBe('/sns');
      expect(req.headers).toMatchObject({
        'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': MessageId, 'x-amz-sns-topic-arn': TopicArn,
        'x-amz-sns-subscription-arn': SubscriptionArn, 'content-type': 'text/plain; charset=UTF-8',
      });
      expect(JSON.parse(req.body)).toEqual({
        Type: 'Notification', MessageId, TopicArn, Subject: 'greeting', Message: 'hello', Timestamp: expect.any(String),
        SignatureVersion: '1', Signature: expect.any(String), SigningCertURL: expect.any(String),
        UnsubscribeURL: expect.stringContaining('Action=Unsubscribe'), MessageAttributes: { k: { Type: 'String', Value: 'v' } },
      });
      // The UnsubscribeURL works like AWS's: a plain GET.
      expect((await fetch(JSON.parse(req.body).UnsubscribeURL as string)).status).toBe(200);
      expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([]);
    } finally {
      await hook.close();
    }
  });

  it('PublishBatch delivers each entry and reports per-entry failures', async () => {
    const out = await sns.send(new PublishBatchCommand({
      TopicArn: topicArn,
      PublishBatchRequestEntries: [
        { Id: 'a', Message: 'first', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } },
        { Id: 'b', Message: 'second', Subject: 'two' },
        { Id: 'c', Message: '' },
      ],
    }));
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    expect(out.Successful?.every((s) => /^[0-9a-f-]{36}$/.test(s.MessageId ?? ''))).toBe(true);
    expect(out.Failed).toEqual([{ Id: 'c', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);
    await aws.sns.drain();
    expect(events().map((e) => e.Records[0].Sns.Message).sort()).toEqual(['first', 'second']);
    const dup = sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: 'x', Message: '1' }, { Id: 'x', Message: '2' }] }));
    await expect(dup).rejects.toBeInstanceOf(BatchEntryIdsNotDistinctException);
  });

  it('refuses publishing to a missing topic or an empty message', async () => {
    await expect(sns.send(new PublishCommand({ TopicArn: `${topicArn}-x`, Message: 'm' }))).rejects.toBeInstanceOf(NotFoundException);
    await expect(sns.send(new PublishCommand({ TopicArn: topicArn, Message: '' }))).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('SNS through AWS CLI v2', () => {
  it('create-topic, subscribe and publish reach the function', async () => {
    const { TopicArn } = await cli(aws, 'sns', 'create-topic', '--name', 'cli-topic');
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:cli-topic`);
    const sub: Json = await cli(aws, 'sns', 'subscribe', '--topic-arn', TopicArn, '--protocol', 'lambda', '--notification-endpoint', FN_ARN);
    expect(sub.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
    const pub: Json = await cli(aws, 'sns', 'publish', '--topic-arn', TopicArn, '--message', 'from the CLI', '--subject', 'cli',
      '--message-attributes', '{"source":{"DataType":"String","StringValue":"aws-cli"}}');
    await aws.sns.drain();
    expect(events()).toHaveLength(1);
    expect(events()[0].Records[0]).toMatchObject({
      EventSubscriptionArn: sub.SubscriptionArn,
      Sns: { MessageId: pub.MessageId, TopicArn, Subject: 'cli', Message: 'from the CLI', MessageAttributes: { source: { Type: 'String', Value: 'aws-cli' } } },
    });
    const topics: Json = await cli(aws, 'sns', 'list-topics');
    expect(topics.Topics).toContainEqual({ TopicArn });
  });
});
