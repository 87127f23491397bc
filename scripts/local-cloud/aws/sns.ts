// SNS (query protocol, Version 2010-03-31) with asynchronous delivery to Lambda (through the
// Lambda Invoke HTTP API) and http(s) endpoints.
import { randomUUID } from 'node:crypto';
import { AwsError, XmlMap, list, page, rec, str, unknownAction, type Rec, type Service } from './protocol';

interface Topic { arn: string; name: string; attributes: Record<string, string> }
interface Subscription { arn: string; topicArn: string; protocol: string; endpoint: string; pending: boolean }
interface MessageAttribute { DataType: string; StringValue?: string; BinaryValue?: string }
export interface PublishInput { message: string; subject?: string; messageAttributes?: Record<string, MessageAttribute> }
interface Notification extends PublishInput { id: string; topicArn: string; timestamp: string }

export interface SnsOptions {
  region: string;
  accountId: string;
  resolveLambda?: (functionName: string) => string | undefined;
  log: (line: string) => void;
  /** Delivery attempts per message and subscription, and the first retry delay (doubles each time). */
  deliveryAttempts?: number;
  retryDelayMs?: number;
}

const PROTOCOLS = ['lambda', 'http', 'https', 'email', 'email-json'];
const invalid = (message: string): AwsError => new AwsError('InvalidParameter', `Invalid parameter: ${message}`);
const notFound = (what: string): AwsError => new AwsError('NotFound', `${what} does not exist`, 404);

export class SnsService implements Service {
  private topics = new Map<string, Topic>();
  private subs = new Map<string, Subscription>();
  private inFlight = new Set<Promise<void>>();
  private stopped = false;
  onChange = (): void => {};
  /** Base URL of the server, used for UnsubscribeUrl; set once listening. */
  baseUrl = 'http://localhost';

  constructor(private readonly opts: SnsOptions) {}

  handle(action: string, i: Rec): unknown {
    switch (action) {
      case 'CreateTopic':
        return { TopicArn: this.createTopic(str(i.Name) ?? '', rec(i.Attributes) as Record<string, string>) };
      case 'DeleteTopic': {
        const arn = str(i.TopicArn) ?? '';
        this.topics.delete(arn);
        for (const s of this.subs.values()) if (s.topicArn === arn) this.subs.delete(s.arn);
        this.onChange();
        return {};
      }
      case 'ListTopics': {
        const { items, next } = page([...this.topics.keys()], i.NextToken, 100);
        return { Topics: items.map((TopicArn) => ({ TopicArn })), NextToken: next };
      }
      case 'GetTopicAttributes': {
        const t = this.topic(str(i.TopicArn));
        const subs = [...this.subs.values()].filter((s) => s.topicArn === t.arn);
        return {
          Attributes: new XmlMap({
            TopicArn: t.arn, Owner: this.opts.accountId, DisplayName: '',
            SubscriptionsConfirmed: String(subs.filter((s) => !s.pending).length),
            SubscriptionsPending: String(subs.filter((s) => s.pending).length), SubscriptionsDeleted: '0',
            ...t.attributes,
          }),
        };
      }
      case 'Subscribe': {
        const sub = this.subscribe(str(i.TopicArn) ?? '', str(i.Protocol) ?? '', str(i.Endpoint) ?? '');
        return { SubscriptionArn: sub.pending && str(i.ReturnSubscriptionArn) !== 'true' ? 'pending confirmation' : sub.arn };
      }
      case 'Unsubscribe':
        if (!this.subs.delete(str(i.SubscriptionArn) ?? '')) throw notFound('Subscription');
        this.onChange();
        return {};
      case 'ListSubscriptions':
      case 'ListSubscriptionsByTopic': {
        const topicArn = action === 'ListSubscriptionsByTopic' ? this.topic(str(i.TopicArn)).arn : undefined;
        const all = [...this.subs.values()].filter((s) => !topicArn || s.topicArn === topicArn);
        const { items, next } = page(all, i.NextToken, 100);
        return {
          Subscriptions: items.map((s) => ({
            SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn, Owner: this.opts.accountId,
            Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn,
          })),
          NextToken: next,
        };
      }
      case 'Publish':
        if (i.PhoneNumber) throw invalid('SMS delivery is not supported locally');
        return this.publish(str(i.TopicArn) ?? str(i.TargetArn) ?? '', publishInput(i));
      case 'PublishBatch':
        return this.publishBatch(str(i.TopicArn) ?? '', list(i.PublishBatchRequestEntries).map(rec));
      default:
        throw unknownAction(action);
    }
  }

  createTopic(name: string, attributes: Record<string, string> = {}): string {
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name)) {
      throw invalid('Topic Name must be 1 to 256 ASCII letters, numbers, underscores and hyphens (plus ".fifo").');
    }
    const arn = `arn:aws:sns:${this.opts.region}:${this.opts.accountId}:${name}`;
    if (!this.topics.has(arn)) {
      this.topics.set(arn, { arn, name, attributes: { ...attributes } });
      this.onChange();
    }
    return arn;
  }

  subscribe(topicArn: string, protocol: string, endpoint: string): Subscription {
    this.topic(topicArn);
    if (!PROTOCOLS.includes(protocol)) throw invalid(`Amazon SNS does not support this protocol string: ${protocol}`);
    const valid = protocol === 'lambda' ? /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(endpoint)
      : !protocol.startsWith('http') || endpoint.startsWith(`${protocol}://`);
    if (!valid) throw invalid(`Endpoint ${endpoint} does not match protocol ${protocol}`);
    const existing = [...this.subs.values()].find((s) => s.topicArn === topicArn && s.protocol === protocol && s.endpoint === endpoint);
    if (existing) return existing;
    const sub = { arn: `${topicArn}:${randomUUID()}`, topicArn, protocol, endpoint, pending: protocol.startsWith('email') };
    this.subs.set(sub.arn, sub);
    this.onChange();
    return sub;
  }

  publish(topicArn: string, input: PublishInput): { MessageId: string } {
    const topic = this.topic(topicArn);
    if (!input.message) throw invalid('Empty message');
    if (Buffer.byteLength(input.message) > 262144) throw invalid('Message too long');
    const n: Notification = { ...input, id: randomUUID(), topicArn: topic.arn, timestamp: new Date().toISOString() };
    for (const sub of this.subs.values()) {
      if (sub.topicArn !== topic.arn || sub.pending) continue;
      const p = this.deliver(sub, n).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
    return { MessageId: n.id };
  }

  /** Resolves once every delivery started so far has succeeded or given up. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  stop(): void {
    this.stopped = true;
  }

  snapshot(): unknown {
    return { topics: [...this.topics.values()], subscriptions: [...this.subs.values()] };
  }

  restore(data: unknown): void {
    const d = rec(data);
    this.topics = new Map((list(d.topics) as Topic[]).map((t) => [t.arn, t]));
    this.subs = new Map((list(d.subscriptions) as Subscription[]).map((s) => [s.arn, s]));
  }

  private publishBatch(topicArn: string, entries: Rec[]): Rec {
    this.topic(topicArn);
    if (!entries.length) throw new AwsError('EmptyBatchRequest', 'The batch request doesn\'t contain any entries.');
    if (entries.length > 10) throw new AwsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
    if (new Set(entries.map((e) => e.Id)).size !== entries.length) {
      throw new AwsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    }
    const Successful: Rec[] = [];
    const Failed: Rec[] = [];
    for (const e of entries) {
      try {
        Successful.push({ Id: str(e.Id), MessageId: this.publish(topicArn, publishInput(e)).MessageId });
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        Failed.push({ Id: str(e.Id), Code: err.queryCode, Message: err.message, SenderFault: true });
      }
    }
    return { Successful, Failed };
  }

  private topic(arn: string | undefined): Topic {
    const t = this.topics.get(arn ?? '');
    if (!t) throw notFound('Topic');
    return t;
  }

  private async deliver(sub: Subscription, n: Notification): Promise<void> {
    const attempts = this.opts.deliveryAttempts ?? 4;
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.send(sub, n);
        return;
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        const target = `${sub.protocol} ${sub.endpoint}`;
        this.opts.log(`sns: delivery of ${n.id} from ${n.topicArn} to ${target} failed (attempt ${attempt}/${attempts}): ${why}`);
        if (attempt >= attempts) return;
        await new Promise((r) => setTimeout(r, (this.opts.retryDelayMs ?? 250) * 2 ** (attempt - 1)).unref());
      }
    }
  }

  private async send(sub: Subscription, n: Notification): Promise<void> {
    let res: Response;
    if (sub.protocol === 'lambda') {
      const name = sub.endpoint.split(':')[6];
      const base = this.opts.resolveLambda?.(name);
      if (!base) throw new Error(`no local Lambda endpoint for function ${name}`);
      res = await fetch(`${base.replace(/\/$/, '')}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
        body: JSON.stringify(this.lambdaEvent(sub, n)),
      });
    } else if (sub.protocol === 'http' || sub.protocol === 'https') {
      res = await fetch(sub.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': n.id,
          'x-amz-sns-topic-arn': n.topicArn, 'x-amz-sns-subscription-arn': sub.arn,
        },
        body: JSON.stringify(this.httpNotification(sub, n)),
      });
    } else return; // email: never confirmed locally
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status} ${text.slice(0, 200)}`);
  }

  private common(sub: Subscription, n: Notification): Rec {
    return {
      Type: 'Notification', MessageId: n.id, TopicArn: n.topicArn, Subject: n.subject ?? null, Message: n.message,
      Timestamp: n.timestamp, SignatureVersion: '1', Signature: Buffer.from(`local:${n.id}`).toString('base64'),
      cert: `https://sns.${this.opts.region}.amazonaws.com/SimpleNotificationService-local.pem`,
      unsubscribe: `${this.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.arn)}`,
      MessageAttributes: Object.fromEntries(
        Object.entries(n.messageAttributes ?? {}).map(([k, a]) => [k, { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue }]),
      ),
    };
  }

  private lambdaEvent(sub: Subscription, n: Notification): Rec {
    const { cert, unsubscribe, ...rest } = this.common(sub, n);
    return {
      Records: [{
        EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: sub.arn,
        Sns: { ...rest, SigningCertUrl: cert, UnsubscribeUrl: unsubscribe },
      }],
    };
  }

  private httpNotification(sub: Subscription, n: Notification): Rec {
    const { cert, unsubscribe, Subject, MessageAttributes, ...rest } = this.common(sub, n);
    const attrs = MessageAttributes as Rec;
    return {
      ...rest, ...(Subject === null ? {} : { Subject }), SigningCertURL: cert, UnsubscribeURL: unsubscribe,
      ...(Object.keys(attrs).length ? { MessageAttributes: attrs } : {}),
    };
  }
}

function publishInput(i: Rec): PublishInput {
  return {
    message: str(i.Message) ?? '', subject: str(i.Subject),
    messageAttributes: Object.fromEntries(Object.entries(rec(i.MessageAttributes)).map(([k, v]) => {
      const a = rec(v);
      return [k, { DataType: str(a.DataType) ?? 'String', StringValue: str(a.StringValue), BinaryValue: str(a.BinaryValue) }];
    })),
  };
}
