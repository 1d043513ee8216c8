import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * The OpenAPI document at `/api/openapi.json` is generated from the route schemas that validate and
 * serialize — errors included (issue 12 §7). Every `/api/v1` route gets the error responses it can
 * produce, with the one error schema below; since they sit in the route's `response`, Fastify also
 * serializes real error bodies through them, so the document cannot drift from what is sent.
 */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, dotted error code (e.g. `request.invalid`, `auth.forbidden`); clients may switch on it.'),
      message: z.string().describe('Human-readable text; never a stack trace, SQL or the request URL.'),
      details: z.unknown().optional().describe('Structured context, e.g. the invalid fields of a 400.'),
    }),
  })
  .meta({ id: 'Error', description: 'An error: `{ error: { code, message, details } }`.' });

/** The success of a route that answers without a body (`204 No Content`, a bare `202`): no body in the document. */
export const noContent = z.undefined().describe('No content');

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 414 | 415 | 422 | 429 | 500 | 501 | 502 | 503;

/** Error responses a route declares beyond those every route gets (409 conflicts, 429 rate limits…). */
export function errorResponses(...statuses: ErrorStatus[]): Partial<Record<ErrorStatus, typeof errorBody>> {
  return Object.fromEntries(statuses.map((status) => [status, errorBody]));
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: a field, a parameter, a malformed or too deeply nested body, a bad URL',
  401: 'Not signed in, or the API key is not valid',
  403: 'Not allowed: a missing CSRF token with a session cookie, or no permission',
  404: 'Not found, or not visible to the caller',
  409: 'Conflict with the current state',
  410: 'Gone: the link or token expired or was used',
  413: 'The request body is too large',
  414: 'A path parameter is too long',
  415: 'Unsupported content type: send application/json',
  422: 'The request is well-formed but cannot be processed',
  429: 'Too many requests: wait `Retry-After` seconds',
  500: 'Internal error (never expected; the request id is in the logs)',
  501: 'Not implemented',
  502: 'An upstream service failed',
  503: 'A store is unavailable (full, read-only or unreachable): retry after `Retry-After` seconds',
};

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What any `/api/v1` route can answer besides its own successes: 400 (invalid input, a bad URL, a NUL),
 * 500 and 503 (a store that cannot write, issue 12 §3); 401/403 unless public (no or bad credentials, a
 * missing CSRF token, a denied permission); 404 and 414 (over-long) with path parameters; 413/415 with a body.
 */
function implicitErrors(route: RouteOptions): ErrorStatus[] {
  const mode = (route.config as { auth?: string } | undefined)?.auth ?? 'account';
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const statuses: ErrorStatus[] = [400, 500, 503];
  if (mode !== 'public') statuses.push(401, 403);
  if (route.url.includes(':')) statuses.push(404, 414);
  if (route.schema?.body && methods.some((m) => BODY_METHODS.has(m))) statuses.push(413, 415);
  return statuses;
}

/** How each kind of route authenticates, for the document's `security` (see securitySchemes below). */
function securityOf(route: RouteOptions): Record<string, string[]>[] {
  const mode = (route.config as { auth?: string } | undefined)?.auth ?? 'account';
  if (mode === 'public') return [];
  if (mode === 'operator') return [{ operatorSession: [], csrfToken: [] }];
  const account: Record<string, string[]>[] = [{ session: [], csrfToken: [] }, { apiKey: [] }];
  return mode === 'optional' ? [{}, ...account] : account;
}

/** Adds the implicit error responses and `security` to every documented `/api/v1` route. */
export function registerOpenApiErrors(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/') || route.schema?.hide) return;
    const response = { ...((route.schema?.response as Record<string, unknown> | undefined) ?? {}) };
    for (const status of implicitErrors(route)) response[status] ??= errorBody;
    route.schema = { ...(route.schema ?? {}), response, ...(route.schema?.security ? {} : { security: securityOf(route) }) };
  });
}

/** @fastify/swagger options: servers, security schemes, the zod transforms and `204` without a body. */
export function openApiOptions(publicUrl: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: 'Toride API',
        version: '1',
        description:
          'The native API (`/api/v1`). Errors are `{ error: { code, message, details } }` (schema `Error`). The Backlog-compatible API (`/api/v2`) and SCIM 2.0 (`/scim/v2`) are documented in docs/en/api.md.',
      },
      servers: [{ url: publicUrl, description: 'This deployment' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'toride_session', description: 'The web app’s session cookie (set by POST /api/v1/sessions).' },
          csrfToken: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description: 'With a session cookie, every write (POST, PUT, PATCH, DELETE) sends the value of the `toride_csrf` cookie in this header.',
          },
          apiKey: { type: 'http', scheme: 'bearer', description: 'A personal API key (`trd_…`, POST /api/v1/me/api-keys) as `Authorization: Bearer`.' },
          operatorSession: { type: 'apiKey', in: 'cookie', name: 'toride_operator', description: 'An operator console session (POST /api/v1/operator/sessions).' },
        },
      },
      security: [{ session: [], csrfToken: [] }, { apiKey: [] }],
    },
    transform: (input) => {
      // A 204 (or 202) without a body is declared `noContent` (zod `undefined`, which JSON Schema cannot
      // express): `type: 'null'` makes @fastify/swagger list it without content.
      const declared = (input.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {};
      const empty = Object.keys(declared).filter((status) => declared[status] === noContent);
      const withBody = Object.fromEntries(Object.entries(declared).filter(([status]) => !empty.includes(status)));
      const output = jsonSchemaTransform(empty.length ? { ...input, schema: { ...input.schema, response: withBody } } : input);
      const response = (output.schema as { response?: Record<string, unknown> } | undefined)?.response;
      for (const status of empty) if (response) response[status] = { type: 'null', description: status === '204' ? 'No content' : 'Accepted (no body)' };
      for (const [status, schema] of Object.entries(response ?? {})) {
        if (Number(status) >= 400) response![status] = { ...(schema as object), description: ERROR_DESCRIPTIONS[Number(status)] ?? 'Error' };
      }
      return output;
    },
    transformObject: jsonSchemaTransformObject,
  };
}
