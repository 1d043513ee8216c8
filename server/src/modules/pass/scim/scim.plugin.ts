import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicUrlOf } from '../../../config';
import { requestMeta } from '../../../kernel/http/request-context';
import { readJsonBody } from '../../../kernel/http/body-limits';
import { AppError } from '../../../kernel/errors';
import { ScimError, registerScimErrors, SCIM_CONTENT_TYPE, scimBad, scimNotFound } from './scim-errors';
import type { ScimCaller, ScimDeps } from './scim.deps';
import { listOf, resourceTypes, schemas, serviceProviderConfig } from './scim-discovery';
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from './scim-groups.service';
import { parseListQuery, project } from './scim-query';
import { resolveToken } from './scim-tokens.service';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser } from './scim-users.service';

declare module 'fastify' {
  interface FastifyRequest {
    scimCaller: ScimCaller | null;
  }
  interface FastifyContextConfig {
    /** The catch-all of `/scim/v2`: answers without a token (there is nothing to protect). */
    scimUnknown?: boolean;
  }
}

/** RFC 7644 §3.11 (/Me), §3.7 (/Bulk), §3.4.3 (/.search): defined by SCIM, not offered here. */
const UNSUPPORTED = new Set(['me', 'bulk', '.search', 'users/.search', 'groups/.search']);
const isUnsupported = (rest: string) => {
  const path = rest.toLowerCase().replace(/\/$/, '');
  return UNSUPPORTED.has(path) || path.startsWith('me/');
};

/**
 * Any other path under `/scim/v2`. Without this route the web app's `GET /*` fallback (app.ts) is the
 * closest match and answers with its HTML; this one, more specific, keeps the whole prefix SCIM.
 */
function unknownEndpoint(request: FastifyRequest): never {
  const rest = (request.params as { '*'?: string })['*'] ?? '';
  if (isUnsupported(rest)) throw new ScimError(501, `/${rest.slice(0, 64)} is not supported by this service provider.`);
  throw scimNotFound('No such SCIM endpoint.');
}

function callerOf(request: FastifyRequest): ScimCaller {
  if (!request.scimCaller) throw new ScimError(401, 'Authentication required.');
  return request.scimCaller;
}

type IdParams = { id: string };
const idOf = (request: FastifyRequest) => {
  const id = (request.params as IdParams).id;
  if (!id || id.length > 128) throw scimNotFound();
  return id;
};

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

const send = (reply: FastifyReply, status: number, body: unknown) => reply.status(status).type(SCIM_CONTENT_TYPE).send(body);

/**
 * SCIM 2.0 (RFC 7643 / 7644) at `/scim/v2`, in its own encapsulated context: its own auth (a SCIM
 * bearer token names the org), its own content types and the SCIM error schema (issue 4 §5).
 */
export function scimApi(deps: ScimDeps) {
  const docsUrl = `${publicUrlOf(deps.kernel.config)}/docs/scim`;
  return async (api: FastifyInstance) => {
    api.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), auth: 'public' };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    api.removeAllContentTypeParsers();
    const parseJson = (_request: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
      // The kernel's limits (depth, no NUL) before any handler runs (issue 12 §7).
      try {
        done(null, readJsonBody(String(body), {}));
      } catch (error) {
        done(scimBad('invalidSyntax', error instanceof AppError ? error.message : 'The body is not valid JSON.'), undefined);
      }
    };
    api.addContentTypeParser(['application/scim+json', 'application/json'], { parseAs: 'string' }, parseJson);
    api.decorateRequest('scimCaller', null);
    registerScimErrors(api);

    api.addHook('onRequest', async (request, reply) => {
      if (request.is404 || request.routeOptions.config.scimUnknown) return;
      const secret = bearer(request);
      const token = secret ? await resolveToken(deps, secret) : null;
      if (!token) {
        // Guessing tokens from one address is throttled (429 after 30 failures in 5 minutes).
        await deps.kernel.rateLimiter.consume(`scim-auth-fail:ip:${request.ip}`, { limit: 30, windowSeconds: 300 });
        void reply.header('www-authenticate', 'Bearer realm="scim"');
        throw new ScimError(401, 'A valid SCIM bearer token is required.');
      }
      const meta = requestMeta(request);
      request.scimCaller = { orgId: token.org_id, tokenId: token.id, actor: { accountId: null, kind: 'scim', ip: meta.ip, userAgent: meta.userAgent } };
    });

    api.get('/ServiceProviderConfig', async (_request, reply) => send(reply, 200, serviceProviderConfig(deps.baseUrl, docsUrl)));
    api.get('/ResourceTypes', async (_request, reply) => send(reply, 200, listOf(resourceTypes(deps.baseUrl))));
    api.get('/ResourceTypes/:id', async (request, reply) => {
      const found = resourceTypes(deps.baseUrl).find((t) => t.id === idOf(request));
      if (!found) throw scimNotFound();
      return send(reply, 200, found);
    });
    api.get('/Schemas', async (_request, reply) => send(reply, 200, listOf(schemas(deps.baseUrl))));
    api.get('/Schemas/:id', async (request, reply) => {
      const found = schemas(deps.baseUrl).find((s) => s.id === idOf(request));
      if (!found) throw scimNotFound();
      return send(reply, 200, found);
    });

    const created = (reply: FastifyReply, resource: Record<string, unknown>) => {
      const meta = resource.meta as { location: string; version?: string };
      void reply.header('location', meta.location);
      if (meta.version) void reply.header('etag', meta.version);
      return send(reply, 201, resource);
    };
    const ok = (reply: FastifyReply, resource: Record<string, unknown>) => {
      const meta = resource.meta as { version?: string } | undefined;
      if (meta?.version) void reply.header('etag', meta.version);
      return send(reply, 200, resource);
    };
    const query = (request: FastifyRequest) => parseListQuery(request.query as Record<string, unknown>);

    api.get('/Users', async (request, reply) => send(reply, 200, await listUsers(deps, callerOf(request), query(request))));
    api.post('/Users', async (request, reply) => created(reply, await createUser(deps, callerOf(request), request.body)));
    api.get('/Users/:id', async (request, reply) => ok(reply, project(await getUser(deps, callerOf(request), idOf(request)), query(request))));
    api.put('/Users/:id', async (request, reply) => ok(reply, await replaceUser(deps, callerOf(request), idOf(request), request.body)));
    api.patch('/Users/:id', async (request, reply) => ok(reply, await patchUser(deps, callerOf(request), idOf(request), request.body)));
    api.delete('/Users/:id', async (request, reply) => {
      await deleteUser(deps, callerOf(request), idOf(request));
      return reply.status(204).send();
    });

    api.get('/Groups', async (request, reply) => send(reply, 200, await listGroups(deps, callerOf(request), query(request))));
    api.post('/Groups', async (request, reply) => created(reply, await createGroup(deps, request, callerOf(request), request.body)));
    api.get('/Groups/:id', async (request, reply) => ok(reply, project(await getGroup(deps, callerOf(request), idOf(request)), query(request))));
    api.put('/Groups/:id', async (request, reply) => ok(reply, await replaceGroup(deps, request, callerOf(request), idOf(request), request.body)));
    // Entra recommends 204 for group PATCH (no member list in the answer); Okta accepts it too.
    api.patch('/Groups/:id', async (request, reply) => {
      await patchGroup(deps, request, callerOf(request), idOf(request), request.body);
      return reply.status(204).send();
    });
    api.delete('/Groups/:id', async (request, reply) => {
      await deleteGroup(deps, request, callerOf(request), idOf(request));
      return reply.status(204).send();
    });

    api.all('/', { config: { scimUnknown: true } }, async (request) => unknownEndpoint(request));
    api.all('/*', { config: { scimUnknown: true } }, async (request) => unknownEndpoint(request));
  };
}
