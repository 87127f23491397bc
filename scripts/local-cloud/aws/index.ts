export { startLocalAws, type LocalAws, type LocalAwsOptions } from './server';
export type { SsmService } from './ssm';
export type { SnsService, PublishInput } from './sns';
export type { CloudWatchService } from './cloudwatch';
export type { LogsService, AppendEvent } from './logs';
