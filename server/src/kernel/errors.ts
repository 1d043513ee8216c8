/**
 * One error type for the whole server. Services throw these; a single Fastify error handler renders
 * `{ error: { code, message, details } }`. Codes are dotted and stable: clients may switch on them.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthenticated = (message = 'Sign in to continue.', code = 'auth.unauthenticated') =>
  new AppError(401, code, message);
export const forbidden = (message = 'You do not have permission to do this.', code = 'auth.forbidden') =>
  new AppError(403, code, message);
export const notFound = (code: string, message = 'Not found.') => new AppError(404, code, message);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new AppError(429, code, message, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });

/** Throws the error built by `makeError` unless `condition` holds (Logto-style guard). */
export function assertThat(condition: unknown, makeError: () => AppError): asserts condition {
  if (!condition) throw makeError();
}
