import { hostname } from 'node:os';
import { logger } from '@shared/platform';
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

void logger
  .withContext({ correlationId: `worker-${process.pid}` }, () => subscriber.run({ keepRunning: () => !stopping, consumer: `worker-${hostname()}-${process.pid}` }))
  .then(
    () => process.exit(0),
    (err) => {
      logger.error('subscriber.crashed', { error: err });
      process.exit(1);
    },
  );
