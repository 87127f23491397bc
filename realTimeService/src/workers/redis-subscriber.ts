import { hostname } from 'node:os';
import { invoke } from '@shared/platform';
import { runtime } from '../app/core';
import { subscriber } from '../app/delivery';

/**
 * redisSubscriber as a long-lived process, for the local stack (custom.local.workers in
 * serverless.yml): the same drain loop as the scheduled Lambda, running until SIGTERM/SIGINT.
 */
let stopping = false;
const stop = () => {
  stopping = true;
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const id = `worker-${process.pid}`;
void invoke({ trigger: 'worker', requestId: id, correlationId: id }, { flush: () => runtime.metrics.flush() }, () =>
  subscriber.run({ keepRunning: () => !stopping, consumer: `worker-${hostname()}-${process.pid}` }),
).then(
  () => process.exit(0),
  // The core has logged the failure (request.failed); the stack sees the exit code.
  () => process.exit(1),
);
