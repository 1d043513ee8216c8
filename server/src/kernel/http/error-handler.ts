import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors';
import { storageFaultOf } from '../storage-faults';

/**
 * The one place that turns errors into `{ error: { code, message, details } }`. Internals (stack
 * traces, SQL, driver messages) never reach the client; 5xx errors are logged with the request id.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Full, read-only, busy or unreachable storage: 503 + Retry-After, logged once per episode by the store (issue 12 §3).
    const fault = storageFaultOf(error);
    if (fault) return reply.headers(fault.headers ?? {}).status(fault.status).send({ error: { code: fault.code, message: fault.message, details: fault.details } });
    if (error instanceof AppError) {
      if (error.headers) void reply.headers(error.headers);
      return reply.status(error.status).send({ error: { code: error.code, message: error.message, details: error.details } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        path: issue.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: issue.message,
      }));
      const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
      return reply.status(400).send({ error: { code: 'request.invalid', message: `Invalid request: ${summary}`, details } });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).send({ error: { code: 'internal', message: 'Internal error.' } });
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ error: { code: 'internal', message: 'Internal error.' } });
    }
    // Fastify's own 4xx (malformed JSON, body too large, unsupported media type): keep the status, hide the text.
    const code = status === 413 ? 'request.too_large' : status === 415 ? 'request.unsupported_media_type' : 'request.invalid';
    return reply.status(status).send({ error: { code, message: publicMessageFor(status) } });
  });

  app.setNotFoundHandler((request, reply) =>
    // Never the URL in a body: it may carry a credential in its query (issue 12 §7).
    reply.status(404).send({ error: { code: 'route.not_found', message: `No route ${request.method} for this path.` } }),
  );
}

function publicMessageFor(status: number): string {
  if (status === 413) return 'The request body is too large.';
  if (status === 415) return 'Unsupported content type: send application/json.';
  return 'The request could not be read.';
}
