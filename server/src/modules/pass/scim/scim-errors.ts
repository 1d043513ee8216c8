import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../../kernel/errors';
import { storageFaultOf } from '../../../kernel/storage-faults';
import type { ErrorRenderer } from '../../../kernel/http/framework-errors';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** An error in the SCIM error schema (RFC 7644 §3.12). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
    this.name = 'ScimError';
  }
}

export const scimBad = (scimType: ScimType, detail: string) => new ScimError(400, detail, scimType);
export const scimNotFound = (detail = 'Resource not found.') => new ScimError(404, detail);

/** Toride's own rule errors, spoken in SCIM. */
function fromAppError(error: AppError): ScimError {
  if (error.status === 409) {
    const unique = /email_taken|external_id_taken|name_taken/.test(error.code);
    return new ScimError(409, error.message, unique ? 'uniqueness' : undefined);
  }
  if (error.status === 400) return new ScimError(400, error.message, 'invalidValue');
  if (error.status === 404) return new ScimError(404, error.message);
  if (error.status === 401) return new ScimError(401, error.message);
  if (error.status === 403) return new ScimError(403, error.message);
  if (error.status === 429) return new ScimError(429, error.message);
  return new ScimError(500, 'Internal error.');
}

/** The one SCIM error body (RFC 7644 §3.12); issue 12 §7's framework errors render through it too (renderScimFrameworkError). */
export function scimErrorBody(status: number, detail: string, scimType?: ScimType) {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

export function sendScimError(reply: FastifyReply, error: ScimError) {
  return reply.status(error.status).type(SCIM_CONTENT_TYPE).send(scimErrorBody(error.status, error.message, error.scimType));
}

/** The SCIM error for what fails before a route is chosen (bad URL, 414, unreadable HTTP): kernel/http/framework-errors.ts. */
export const renderScimFrameworkError: ErrorRenderer = (error) => ({
  contentType: SCIM_CONTENT_TYPE,
  body: scimErrorBody(error.status, error.message, error.status === 400 ? 'invalidSyntax' : undefined),
});

/** Every failure under `/scim/v2` answers in the SCIM error schema, never with a stack trace. */
export function registerScimErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    // Full, read-only, busy or unreachable storage: 503 + Retry-After (issue 12 §3).
    const fault = storageFaultOf(error);
    if (fault) return sendScimError(reply.headers(fault.headers ?? {}), new ScimError(503, fault.message));
    if (error instanceof ScimError) return sendScimError(reply, error);
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) void reply.header(name, value);
      return sendScimError(reply, fromAppError(error));
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      if (status === 413) return sendScimError(reply, new ScimError(413, 'The request body is too large.'));
      if (status === 415) return sendScimError(reply, new ScimError(415, 'Send application/scim+json or application/json.'));
      return sendScimError(reply, scimBad('invalidSyntax', 'The request is not valid SCIM JSON.'));
    }
    request.log.error({ err: error }, 'SCIM request failed');
    return sendScimError(reply, new ScimError(500, 'Internal error.'));
  });
  app.setNotFoundHandler((_request, reply) => sendScimError(reply, scimNotFound('No such SCIM endpoint.')));
}
