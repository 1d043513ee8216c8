import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../../kernel/errors';
import { storageFaultOf } from '../../../kernel/storage-faults';
import type { ErrorRenderer } from '../../../kernel/http/framework-errors';

/**
 * Backlog's error body `{ errors: [{ message, code, moreInfo }] }` with its codes (research §7):
 * 1 internal, 5 unauthorized operation, 6 no resource, 7 invalid request, 10 too large,
 * 11 authentication, 12 two-factor authentication required, 13 too many requests. backlog-js parses the body of every non-2xx reply, so
 * every error here is JSON, 401 included (plus `WWW-Authenticate`, as Backlog's docs describe).
 */
export const BacklogCode = {
  internal: 1,
  unauthorizedOperation: 5,
  noResource: 6,
  invalidRequest: 7,
  tooLarge: 10,
  authentication: 11,
  requiredMfa: 12,
  tooManyRequests: 13,
} as const;

export function sendBacklogError(reply: FastifyReply, status: number, code: number, message: string) {
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="Toride", error="invalid_token"');
  return reply.status(status).send({ errors: [{ message, code, moreInfo: '' }] });
}

function mapAppError(error: AppError): { status: number; code: number } {
  switch (error.status) {
    case 401:
      return { status: 401, code: BacklogCode.authentication };
    case 403:
      // The org requires 2FA and this account has none: Backlog's RequiredMFAError.
      return { status: 403, code: error.code === 'auth.two_factor_required' ? BacklogCode.requiredMfa : BacklogCode.unauthorizedOperation };
    case 404:
      return { status: 404, code: BacklogCode.noResource };
    case 413:
      return { status: 413, code: BacklogCode.tooLarge };
    case 429:
      return { status: 429, code: BacklogCode.tooManyRequests };
    default:
      // Conflicts (a duplicate project key…) are invalid requests in Backlog's vocabulary.
      return error.status >= 500 ? { status: 500, code: BacklogCode.internal } : { status: 400, code: BacklogCode.invalidRequest };
  }
}

/** Backlog's shape for what fails before a route is chosen (bad URL, 414, unreadable HTTP): kernel/http/framework-errors.ts. */
export const renderBacklogFrameworkError: ErrorRenderer = (error) => {
  const code = error.status >= 500 ? BacklogCode.internal : error.status === 413 ? BacklogCode.tooLarge : BacklogCode.invalidRequest;
  return { body: { errors: [{ message: error.message, code, moreInfo: '' }] } };
};

/** The encapsulated handlers of the `/api/v2` context; the rest of the server keeps its own shape. */
export function registerBacklogErrors(api: FastifyInstance): void {
  api.setErrorHandler((error: FastifyError, request, reply) => {
    // Full, read-only, busy or unreachable storage: 503 + Retry-After (issue 12 §3); Backlog has no code of its own for it.
    const fault = storageFaultOf(error);
    if (fault) return sendBacklogError(reply.headers(fault.headers ?? {}), 503, BacklogCode.internal, fault.message);
    if (error instanceof AppError) {
      const mapped = mapAppError(error);
      if (error.headers) void reply.headers(error.headers);
      if (mapped.status >= 500) request.log.error({ err: error }, 'backlog api request failed');
      return sendBacklogError(reply, mapped.status, mapped.code, error.message);
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'backlog api request failed');
      return sendBacklogError(reply, 500, BacklogCode.internal, 'Internal error.');
    }
    if (status === 413) return sendBacklogError(reply, 413, BacklogCode.tooLarge, 'The request body is too large.');
    return sendBacklogError(reply, 400, BacklogCode.invalidRequest, 'The request could not be read.');
  });
  // Never the URL in a body: it may carry `?apiKey=` (issue 12 §7).
  api.setNotFoundHandler((request, reply) => sendBacklogError(reply, 404, BacklogCode.noResource, `No such API: ${request.method}.`));
}
