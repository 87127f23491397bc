/*
 * DynamoDB's answers to conditional and transactional writes, classified once. Adapters turn them
 * into their own outcomes (a duplicate, a lost race, a non-member); nothing else reads error names.
 */

/** One item's verdict in a cancelled transaction: its code, and its old image when asked for. */
export interface CancellationReason {
  /** 'None' (fine), 'ConditionalCheckFailed', 'TransactionConflict', … */
  Code?: string;
  /** The item as the refused condition saw it, in DynamoDB's wire format (errors are not unmarshalled). */
  Item?: Record<string, { N?: string; S?: string }>;
}

const named = (err: unknown, name: string): boolean => (err as { name?: string } | undefined)?.name === name;

/** A single-item write whose ConditionExpression did not hold. */
export const isConditionalCheckFailed = (err: unknown): boolean => named(err, 'ConditionalCheckFailedException');

/** A TransactWriteItems refused as a whole; `cancellationReasons` tells which item and why. */
export const isTransactionCancelled = (err: unknown): boolean => named(err, 'TransactionCanceledException');

/** The verdict per item of a cancelled transaction, in the order the items were sent ([] for other errors). */
export const cancellationReasons = (err: unknown): (CancellationReason | undefined)[] =>
  isTransactionCancelled(err) ? ((err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []) : [];

/** Another transaction touched the same items at the same moment: nothing was decided, so retry. */
export const isTransactionConflict = (err: unknown): boolean => named(err, 'TransactionConflictException');

/**
 * A write lost to a concurrent one: a condition that no longer held, or a conflict, whether the
 * whole transaction or one of its items. Read again, decide again.
 */
export const lostToConcurrentWrite = (err: unknown): boolean =>
  isConditionalCheckFailed(err) ||
  isTransactionConflict(err) ||
  cancellationReasons(err).some((r) => r?.Code === 'ConditionalCheckFailed' || r?.Code === 'TransactionConflict');
