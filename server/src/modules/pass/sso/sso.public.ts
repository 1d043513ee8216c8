import { parse as parseQuery } from 'node:querystring';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta, type RequestMeta } from '../../../kernel/http/request-context';
import { completeOidc, oidcLoginUrl, oidcRequestOf } from './oidc.service';
import { samlLoginUrl, samlPendingRequest, spMetadataXml, validateSamlResponse } from './saml.service';
import { registerSloRoutes } from './saml-slo.routes';
import type { SsoConnectionRow, SsoRequestRow } from './sso.db';
import { ssoRepo, type SsoDeps } from './sso.deps';
import { completeSsoSignIn, recordFailure, SsoFailure } from './sso.signin.service';

const STATE_COOKIE = 'toride_sso_state';
const params = z.object({ connectionId: z.string().min(1).max(64) });
const hide = { hide: true };

/**
 * The browser side of SSO under `/sso` (public: the user is signing in). The SAML ACS is a cross-site
 * POST from the IdP: it carries no session cookie and needs no CSRF token — the signed, audience-,
 * recipient- and InResponseTo-bound response, used once, is what authenticates it.
 */
export function ssoPublicRoutes(deps: SsoDeps) {
  return async (fastify: FastifyInstance) => {
    fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => {
      done(null, parseQuery(body as string));
    });
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const pub = { auth: 'public' as const };

    const loadConnection = async (id: string, protocol: 'saml' | 'oidc', reply: FastifyReply) => {
      const conn = await ssoRepo(deps).findConnectionById(id);
      if (!conn || conn.protocol !== protocol || !conn.enabled) {
        void reply.status(404).send({ error: { code: 'sso.connection_not_found', message: 'SSO connection not found.' } });
        return null;
      }
      return conn;
    };

    const fail = async (reply: FastifyReply, conn: SsoConnectionRow, request: SsoRequestRow | null, error: unknown, meta: RequestMeta) => {
      if (!(error instanceof SsoFailure)) throw error;
      await recordFailure(deps, conn, request, error, meta);
      const target = request?.test ? `/orgs/${conn.org_id}/settings/sso?test=${conn.id}` : `/signin?ssoError=${encodeURIComponent(error.code)}`;
      return reply.redirect(target, 303);
    };

    app.get('/saml/:connectionId/metadata', { config: pub, schema: { ...hide, params } }, async (request, reply) => {
      const conn = await loadConnection(request.params.connectionId, 'saml', reply);
      if (!conn) return reply;
      return reply.type('application/samlmetadata+xml; charset=utf-8').send(await spMetadataXml(deps, conn));
    });

    app.get('/saml/:connectionId/login', { config: pub, schema: { ...hide, params } }, async (request, reply) => {
      const conn = await loadConnection(request.params.connectionId, 'saml', reply);
      if (!conn) return reply;
      return reply.redirect(await samlLoginUrl(deps, conn, { test: false, actorAccountId: null }), 302);
    });

    app.post(
      '/saml/:connectionId/acs',
      { config: pub, schema: { ...hide, params, body: z.object({ SAMLResponse: z.string().min(1).max(1024 * 1024), RelayState: z.string().max(2000).optional() }) } },
      async (request, reply) => {
        const conn = await loadConnection(request.params.connectionId, 'saml', reply);
        if (!conn) return reply;
        const meta = requestMeta(request);
        let pending: SsoRequestRow | null = null;
        try {
          pending = await samlPendingRequest(deps, conn, request.body.SAMLResponse);
          const identity = await validateSamlResponse(deps, conn, request.body.SAMLResponse);
          return reply.redirect(await completeSsoSignIn(deps, reply, conn, pending, identity, meta), 303);
        } catch (error) {
          return fail(reply, conn, pending, error, meta);
        }
      },
    );

    app.get('/oidc/:connectionId/login', { config: pub, schema: { ...hide, params } }, async (request, reply) => {
      const conn = await loadConnection(request.params.connectionId, 'oidc', reply);
      if (!conn) return reply;
      try {
        const { url, state } = await oidcLoginUrl(deps, conn, { test: false, actorAccountId: null });
        // Binds the answer to this browser (no login CSRF): the callback must come back with it.
        void reply.setCookie(STATE_COOKIE, deps.kernel.secrets.mac(`sso-state:${state}`), { path: '/sso/oidc', httpOnly: true, sameSite: 'lax', maxAge: 600 });
        return reply.redirect(url, 302);
      } catch (error) {
        return fail(reply, conn, null, error, requestMeta(request));
      }
    });

    app.get(
      '/oidc/:connectionId/callback',
      { config: pub, schema: { ...hide, params, querystring: z.record(z.string(), z.string().max(4096)) } },
      async (request, reply) => {
        const conn = await loadConnection(request.params.connectionId, 'oidc', reply);
        if (!conn) return reply;
        const meta = requestMeta(request);
        const pending = await oidcRequestOf(deps, conn, request.query.state);
        try {
          if (!pending) throw new SsoFailure('sso.oidc_state', 'The sign-in expired or is unknown. Start again.');
          const bound = request.cookies[STATE_COOKIE] === deps.kernel.secrets.mac(`sso-state:${pending.id}`);
          // Test runs start from the admin API, where the admin's own session is the binding.
          if (!pending.test && !bound) throw new SsoFailure('sso.oidc_state', 'The sign-in was started in another browser.');
          void reply.clearCookie(STATE_COOKIE, { path: '/sso/oidc' });
          const identity = await completeOidc(deps, conn, pending, request.query);
          return reply.redirect(await completeSsoSignIn(deps, reply, conn, pending, identity, meta), 303);
        } catch (error) {
          return fail(reply, conn, pending, error, meta);
        }
      },
    );

    registerSloRoutes(app, deps, (id, reply) => loadConnection(id, 'saml', reply));

    /** Sign-in by org: the org's first enabled connection. */
    app.get('/orgs/:orgId/login', { config: pub, schema: { ...hide, params: z.object({ orgId: z.string().min(1).max(64) }) } }, async (request, reply) => {
      const [conn] = (await ssoRepo(deps).listConnections(request.params.orgId)).filter((c) => c.enabled);
      if (!conn) return reply.status(404).send({ error: { code: 'sso.connection_not_found', message: 'SSO connection not found.' } });
      return reply.redirect(`/sso/${conn.protocol}/${conn.id}/login`, 302);
    });
  };
}
