import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

const invocation = new AsyncLocalStorage<LogFields>();

/**
 * Structured JSON logger. Keys that belong to the current invocation (requestId, correlationId,
 * userId, ...) live in AsyncLocalStorage, so adapters deep in the call stack log with the request's
 * context without it being passed down by hand.
 */
export class Logger {
  private readonly minLevel: number;

  constructor(
    private readonly base: LogFields = {},
    level: string = process.env.LOG_LEVEL ?? 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.minLevel = LEVELS[(level.toLowerCase() as LogLevel)] ?? LEVELS.info;
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  /** Adds keys to the current invocation's context (e.g. userId once the token is verified). */
  appendKeys(fields: LogFields): void {
    const store = invocation.getStore();
    if (store) Object.assign(store, fields);
  }

  /** The current invocation's context, e.g. to read the correlation id. */
  context(): LogFields {
    return invocation.getStore() ?? {};
  }

  /** Runs fn with a fresh invocation context. */
  withContext<T>(fields: LogFields, fn: () => Promise<T>): Promise<T> {
    return invocation.run({ ...fields }, fn);
  }

  private log(level: LogLevel, message: string, fields?: LogFields): void {
    if (LEVELS[level] < this.minLevel) return;
    const timestamp = new Date().toISOString();
    const head: LogFields = { timestamp, level, message, ...this.base, ...invocation.getStore() };
    // A field named like a line's own keys (e.g. `message`) must not hide what the line is.
    this.write(safeStringify({ ...head, ...(fields ? serialise(fields) : {}), timestamp, level, message }, head));
  }
}

function serialise(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

/** The entry as JSON; if its fields cannot be serialised, the line still carries the context (ids). */
function safeStringify(value: LogFields, context: LogFields): string {
  try {
    return JSON.stringify(value);
  } catch {
    try {
      return JSON.stringify({ ...context, unserialisableFields: true });
    } catch {
      return JSON.stringify({ level: 'error', message: 'unserialisable log entry' });
    }
  }
}

/** `<service>-<stage>-<function>` → `<function>`, whatever hyphens the stage holds. */
export function shortFunctionName(fullName: string | undefined, service = process.env.SERVICE_NAME, stage = process.env.STAGE): string | undefined {
  if (!fullName) return undefined;
  const prefix = service && stage ? `${service}-${stage}-` : undefined;
  if (prefix && fullName.startsWith(prefix)) return fullName.slice(prefix.length);
  return fullName.split('-').slice(2).join('-') || fullName;
}

const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;

/** The process-wide logger: one per Lambda container, tagged with the service and function. */
export const logger = new Logger({
  service: process.env.SERVICE_NAME,
  function: shortFunctionName(functionName),
  functionName,
});
