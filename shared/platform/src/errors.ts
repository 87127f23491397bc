/**
 * Errors a client can cause, each carrying the HTTP status and the contract's error code.
 * Anything that is not an AppError is a bug or an outage and becomes a 500 without details.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, field?: string) => new AppError(400, 'BAD_REQUEST', message, field);
export const unauthorized = (message = 'Missing or invalid token') => new AppError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = 'Not allowed') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (message = 'Not found') => new AppError(404, 'NOT_FOUND', message);
export const conflict = (message: string) => new AppError(409, 'CONFLICT', message);
export const payloadTooLarge = (message: string, field?: string) => new AppError(413, 'PAYLOAD_TOO_LARGE', message, field);
export const rateLimited = (message = 'Too many requests') => new AppError(429, 'RATE_LIMITED', message);

