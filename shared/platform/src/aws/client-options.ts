/*
 * One client per AWS service and container, created on first use (cold start) and reused.
 * Endpoints follow the SDK's standard configuration: on AWS nothing is set; the local stack sets
 * AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_DYNAMODB) to point a client at its stand-in.
 */

/**
 * Every SDK call gives up on a silent connection after a few seconds (the SDK then retries)
 * instead of waiting for the Lambda timeout: the SDK's own default is to wait for ever.
 */
export const requestHandler = {
  connectionTimeout: Number(process.env.AWS_CONNECT_TIMEOUT_MS ?? 2000),
  requestTimeout: Number(process.env.AWS_REQUEST_TIMEOUT_MS ?? 5000),
};

/** `make()` on the first call, the same value after. */
export const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};
