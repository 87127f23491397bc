import type { Context, SNSEvent } from 'aws-lambda';
import { handler } from '../../src/handlers/snsFanoutHandler';

const snsEvent = (message: string) => ({ Records: [{ Sns: { MessageId: 'sns-1', Message: message } }] }) as unknown as SNSEvent;
const context = { awsRequestId: 'req-1' } as Context;

describe('snsFanoutHandler', () => {
  it.each([
    ['not JSON', '{oops'],
    ['not a chat event', JSON.stringify({ hello: 'world' })],
    ['an unknown event type', JSON.stringify({ eventId: 'e', type: 'message.exploded', conversationId: 'c', data: {}, correlationId: 'x', occurredAt: 'now' })],
  ])('skips a message that is %s instead of failing (a retry could not mend it)', async (_what, message) => {
    await expect(handler(snsEvent(message), context)).resolves.toBeUndefined();
  });
});
