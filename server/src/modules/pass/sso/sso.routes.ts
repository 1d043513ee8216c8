import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../../../kernel/errors';
import { accountOf, requestMeta } from '../../../kernel/http/request-context';
import { oidcLoginUrl } from './oidc.service';
import { samlLoginUrl } from './saml.service';
import { startSpLogout } from './saml-slo.service';
import { createConnection, deleteConnection, findConnection, updateConnection } from './sso.connections.service';
import { requireOrgAdmin, ssoRepo, type SsoDeps } from './sso.deps';
import { breakGlassAdmins, enforcementOf, setEnforcement } from './sso.enforcement';
import {
  connectionSchema,
  createConnectionBody,
  enforcementBody,
  presentConnection,
  ssoConnectionParams,
  ssoOrgParams,
  ssoOverviewSchema,
  testStartSchema,
  updateConnectionBody,
} from './sso.schemas';
import { SsoFailure } from './sso.signin.service';
import { errorResponses, noContent } from '../../../kernel/http/openapi';

const tags = ['pass'];

/** W6.7/W8.3: an org's SSO connections, "test connection" and enforcement. Admins only. */
export function ssoAdminRoutes(deps: SsoDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const base = '/orgs/:orgId/pass/sso';

    app.get(base, { schema: { tags, params: ssoOrgParams, response: { 200: ssoOverviewSchema } } }, async (request) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      const rows = await ssoRepo(deps).listConnections(access.org.id);
      return {
        ...(await enforcementOf(deps, access.org.id)),
        breakGlassAdmins: (await breakGlassAdmins(deps, access.org.id)).length,
        connections: rows.map((row) => presentConnection(deps, row)),
      };
    });

    app.post(`${base}/connections`, { schema: { tags, params: ssoOrgParams, body: createConnectionBody, response: { 201: connectionSchema } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      const row = await createConnection(deps, request, access, request.body);
      return reply.status(201).send(presentConnection(deps, row));
    });

    app.get(`${base}/connections/:connectionId`, { schema: { tags, params: ssoConnectionParams, response: { 200: connectionSchema } } }, async (request) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      return presentConnection(deps, await findConnection(deps, access.org.id, request.params.connectionId));
    });

    app.patch(
      `${base}/connections/:connectionId`,
      { schema: { tags, params: ssoConnectionParams, body: updateConnectionBody, response: { 200: connectionSchema } } },
      async (request) => {
        const access = await requireOrgAdmin(deps, request, request.params.orgId);
        return presentConnection(deps, await updateConnection(deps, request, access, request.params.connectionId, request.body));
      },
    );

    app.delete(`${base}/connections/:connectionId`, { schema: { tags, params: ssoConnectionParams, response: { 204: noContent } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      await deleteConnection(deps, request, access, request.params.connectionId);
      return reply.status(204).send();
    });

    /** "Test connection": the admin's browser goes to `url`; the outcome is recorded on the connection. */
    app.post(`${base}/connections/:connectionId/test`, { schema: { tags, params: ssoConnectionParams, response: { 200: testStartSchema } } }, async (request) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      const conn = await findConnection(deps, access.org.id, request.params.connectionId);
      const context = { test: true, actorAccountId: access.account.id };
      try {
        return { url: conn.protocol === 'saml' ? await samlLoginUrl(deps, conn, context) : (await oidcLoginUrl(deps, conn, context)).url };
      } catch (error) {
        if (error instanceof SsoFailure) throw badRequest(error.code, error.message);
        throw error;
      }
    });

    app.put(`${base}/enforcement`, { schema: { tags, params: ssoOrgParams, body: enforcementBody, response: { ...errorResponses(409), 200: z.object({ enforced: z.boolean(), enforcedAt: z.string().nullable() }) } } }, async (request) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      return setEnforcement(deps, request, access, request.body.enforced);
    });

    /**
     * SP-initiated single logout (issue 13 §2): when an SSO sign-in with single logout started this
     * session, ends it and answers the IdP URL with the signed LogoutRequest for the browser to follow.
     * `redirectUrl: null`: nothing to do at the IdP — sign out locally (DELETE /sessions/current).
     */
    app.post('/sso/logout', { schema: { tags, response: { 200: z.object({ redirectUrl: z.string().nullable() }) } } }, async (request) => {
      const principal = accountOf(request);
      if (principal.via !== 'session') return { redirectUrl: null };
      return { redirectUrl: await startSpLogout(deps, principal.accountId, principal.sessionId, requestMeta(request)) };
    });

    /** Public: which SSO sign-in serves an email address (its domain verified by an org). */
    app.get(
      '/sso/discover',
      {
        config: { auth: 'public' },
        schema: { tags, querystring: z.object({ email: z.string().trim().min(3).max(320) }), response: { 200: z.object({ connections: z.array(z.object({ id: z.string(), protocol: z.enum(['saml', 'oidc']), name: z.string(), loginUrl: z.string() })) }) } },
      },
      async (request) => {
        const domain = request.query.email.split('@').pop()?.toLowerCase() ?? '';
        const orgId = domain ? await ssoRepo(deps).orgOfVerifiedDomain(domain) : null;
        const rows = orgId ? (await ssoRepo(deps).listConnections(orgId)).filter((c) => c.enabled) : [];
        return { connections: rows.map((row) => ({ id: row.id, protocol: row.protocol, name: row.name, loginUrl: presentConnection(deps, row).loginUrl })) };
      },
    );
  };
}
