import type { Context } from 'aws-lambda';
import { invoke } from '@shared/platform';
import { runtime } from '../app/core';
import { subscriber } from '../app/delivery';

/**
 * Deployed shape: an EventBridge schedule starts this every minute (serverless.yml). Each run
 * drains the ephemeral stream as one consumer of the group until shortly before its timeout;
 * the timeout is longer than the schedule's period, so consecutive runs overlap by a few seconds
 * and the stream is never left unread. The group hands each entry to one of them.
 */
const STOP_BEFORE_TIMEOUT_MS = 10_000;

export const handler = async (_event: unknown, context: Context) =>
  invoke({ trigger: 'schedule', requestId: context.awsRequestId, correlationId: context.awsRequestId }, { flush: () => runtime.metrics.flush() }, () =>
    subscriber.run({
      keepRunning: () => context.getRemainingTimeInMillis() > STOP_BEFORE_TIMEOUT_MS,
      consumer: `lambda-${context.awsRequestId}`,
    }),
  );
