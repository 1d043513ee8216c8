import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../kernel/errors';
import { safeEqual } from '../../../kernel/crypto';
import { requestMeta } from '../../../kernel/http/request-context';
import type { ProjectsDeps } from '../spaces.service';
import { checkAuthorization, exchangeToken, issueCode, OAuthError } from './oauth.service';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const authorizeQuery = z.object({
  response_type: z.string().max(50).optional(),
  client_id: z.string().max(100),
  redirect_uri: z.string().max(2000).optional(),
  state: z.string().max(1000).optional(),
});
const decisionBody = authorizeQuery.extend({ csrf: z.string().max(200), decision: z.enum(['allow', 'deny']) });
const tokenBody = z.object({
  grant_type: z.string().max(50),
  client_id: z.string().max(100).optional(),
  client_secret: z.string().max(200).optional(),
  code: z.string().max(200).optional(),
  redirect_uri: z.string().max(2000).optional(),
  refresh_token: z.string().max(200).optional(),
});

function page(reply: FastifyReply, status: number, title: string, body: string, formTarget?: string) {
  // The consent form redirects to the app after submission, so its origin joins form-action.
  const formAction = formTarget ? `'self' ${new URL(formTarget).origin}` : "'self'";
  return reply
    .status(status)
    .header('content-security-policy', `default-src 'none'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`);
}

const withParams = (uri: string, params: Record<string, string | undefined>) => {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
};

/**
 * Backlog's OAuth 2.0 authorization-code flow outside `/api/v2`'s key auth: the consent page
 * `/OAuth2AccessRequest.action` (signed-in users; CSRF-checked decision) and `POST /api/v2/oauth2/token`.
 */
export function oauthPublicRoutes(deps: ProjectsDeps) {
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const config = { auth: 'public' as const };
    const schema = { hide: true };

    const consent = async (request: FastifyRequest, reply: FastifyReply, input: z.output<typeof authorizeQuery>, decision?: { csrf: string; decision: 'allow' | 'deny' }) => {
      const session = await deps.identity.resolveSessionPrincipal(request);
      if (!session) {
        if (decision) return page(reply, 403, 'Sign in', '<p>Your session ended. Sign in and try again.</p>');
        return reply.redirect(`/signin?next=${encodeURIComponent(request.url)}`, 302);
      }
      let checked;
      try {
        // W8.3 (issue 13 §1): a password session under SSO enforcement grants no app access.
        await deps.identity.requireSessionAllowedUnderSso(session, requestMeta(request));
        checked = await checkAuthorization(deps, session, { clientId: input.client_id, redirectUri: input.redirect_uri, state: input.state });
      } catch (error) {
        if (error instanceof AppError) return page(reply, error.status === 404 || error.status === 403 ? 403 : 400, 'Authorization failed', `<p>${escapeHtml(error.message === 'Not found.' ? 'You are not a member of the organization of this app.' : error.message)}</p>`);
        throw error;
      }
      const { app: oauthApp, access, redirectUri, db } = checked;
      if (input.response_type !== 'code') return reply.redirect(withParams(redirectUri, { error: 'unsupported_response_type', state: input.state }), 302);
      if (!decision) {
        const hidden = (name: string, value: string | undefined) => (value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`);
        return page(
          reply,
          200,
          `Authorize ${oauthApp.name}`,
          `<h1>Allow ${escapeHtml(oauthApp.name)} to use your account?</h1>
<p>${escapeHtml(oauthApp.name)} asks to act as <strong>${escapeHtml(access.account.name ?? access.account.email ?? '')}</strong> in the projects of <strong>${escapeHtml(access.org.name)}</strong> through the Backlog API.</p>
<form method="post" action="/OAuth2AccessRequest.action">${hidden('response_type', 'code')}${hidden('client_id', input.client_id)}${hidden('redirect_uri', redirectUri)}${hidden('state', input.state)}${hidden('csrf', session.csrfToken)}
<button type="submit" name="decision" value="allow" data-testid="oauth-allow">Allow</button> <button type="submit" name="decision" value="deny" data-testid="oauth-deny">Deny</button></form>`,
          redirectUri,
        );
      }
      if (!safeEqual(decision.csrf, session.csrfToken)) return page(reply, 403, 'Authorization failed', '<p>The form expired. Go back and try again.</p>');
      if (decision.decision === 'deny') return reply.redirect(withParams(redirectUri, { error: 'access_denied', state: input.state }), 302);
      const code = await issueCode(deps, db, oauthApp, access.account.id, redirectUri);
      return reply.redirect(withParams(redirectUri, { code, state: input.state }), 302);
    };

    app.get('/OAuth2AccessRequest.action', { config, schema }, async (request, reply) => {
      const parsed = authorizeQuery.safeParse(request.query);
      if (!parsed.success) return page(reply, 400, 'Authorization failed', '<p>The request lacks a valid client_id.</p>');
      return consent(request, reply, parsed.data);
    });

    app.post('/OAuth2AccessRequest.action', { config, schema }, async (request, reply) => {
      const parsed = decisionBody.safeParse(request.body);
      if (!parsed.success) return page(reply, 400, 'Authorization failed', '<p>The form is incomplete.</p>');
      return consent(request, reply, parsed.data, parsed.data);
    });

    app.post('/api/v2/oauth2/token', { config, schema }, async (request, reply) => {
      void reply.header('cache-control', 'no-store').header('access-control-allow-origin', '*');
      const parsed = tokenBody.safeParse(request.body ?? {});
      try {
        if (!parsed.success) throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
        return await exchangeToken(deps, parsed.data);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        if (error.status === 401) void reply.header('www-authenticate', 'Basic realm="Toride OAuth"');
        return reply.status(error.status).send({ error: error.oauthCode, error_description: error.message, errors: [{ message: error.message, code: 11, moreInfo: '' }] });
      }
    });
  };
}
