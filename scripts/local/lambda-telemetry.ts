import type { AppendEvent } from '../local-cloud/aws/logs';
import type { LocalAws } from '../local-cloud/aws/server';

// serverless-offline's own lines: one after each invocation that returned, one when a handler threw.
const REPORT = /\(λ: ([\w-]+)\) RequestId: ([\w-]+)\s+Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms/;
const UNHANDLED = /Unhandled exception in handler '([\w-]+)'/;

/**
 * What Lambda itself records about an invocation, derived from serverless-offline's output: the
 * REPORT line in the function's log group and the AWS/Lambda metrics Invocations, Errors and
 * Duration. Locally the dashboard and `npm run ops -- metrics --namespace AWS/Lambda` then show
 * the same built-in metrics as on AWS. Returns false for any other line.
 */
export function recordLambdaTelemetry(aws: LocalAws, service: string, stage: string, line: string): boolean {
  const report = REPORT.exec(line);
  const failed = report ? undefined : UNHANDLED.exec(line);
  if (!report && !failed) return false;
  const functionName = `${service}-${stage}-${(report ?? failed)![1]}`;
  const Dimensions = [{ Name: 'FunctionName', Value: functionName }];
  const datum = (MetricName: string, Value: number, Unit: string) => ({ MetricName, Value, Unit, Dimensions });
  if (report) {
    const [, , requestId, duration, billed] = report;
    aws.cloudwatch.putMetricData('AWS/Lambda', [datum('Invocations', 1, 'Count'), datum('Errors', 0, 'Count'), datum('Duration', Number(duration), 'Milliseconds')]);
    appendFunctionLog(aws, functionName, [
      // Lambda's own layout (tools such as `serverless logs` split it on tabs); memory is not measured locally.
      `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: n/a\tMax Memory Used: n/a`,
    ]);
  } else {
    aws.cloudwatch.putMetricData('AWS/Lambda', [datum('Invocations', 1, 'Count'), datum('Errors', 1, 'Count')]);
  }
  return true;
}

/** Lines into a function's log group as Lambda writes them: /aws/lambda/<function name>, a stream named by the date. */
export function appendFunctionLog(aws: LocalAws, functionName: string, events: AppendEvent[]): void {
  aws.logs.append(`/aws/lambda/${functionName}`, `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]local`, events);
}
