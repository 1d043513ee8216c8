import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { unauthenticated } from '../../../kernel/errors';
import { CSRF_HEADER, requestMeta, type SessionPrincipal } from '../../../kernel/http/request-context';
import { safeEqual } from '../../../kernel/crypto';
import { resolveCaller, type Caller, type ProjectsDeps } from '../spaces.service';
import { registerBacklogErrors, sendBacklogError, BacklogCode } from './backlog-errors';
import { parseBacklogParams } from './form-body';
import { checkFormFields, readJsonBody } from '../../../kernel/http/body-limits';
import { issueRoutes } from './issues.routes';
import { commentExtraRoutes } from './comment-extras.routes';
import { projectRoutes } from './projects.routes';
import { enforceBacklogRateLimit, parseBacklogLimits, rateLimitStatus } from './rate-limit';
import { spaceRoutes } from './space.routes';
import { wikiRoutes } from '../wiki/index';
import { documentRoutes } from '../documents/index';
import { resolveBearer } from '../oauth/index';
import { classicKeyCaller, classicSessionCaller, classicUserRoutes, wantsClassicSession } from '../classic/index';
import { customFieldRoutes } from '../custom-fields/index';
import { attachmentRoutes, wikiAttachmentRoutes } from '../attachments/index';
import { feedRoutes, socialRoutes, spaceInfoRoutes } from '../social/index';
import { refreshCallerTeams, teamRoutes } from '../teams/index';
import { sharedFileRoutes } from '../shared-files/index';
import { webhookRoutes } from '../webhooks/index';
import { relatedIssueRoutes } from '../related-issues/index';

declare module 'fastify' {
  interface FastifyRequest {
    backlogCaller: Caller | null;
    /** True when the web app's session cookie authenticated the request (no API key presented). */
    backlogViaSession: boolean;
  }
}

/** The API key as Backlog clients send it: header (backlog-js 0.20), Bearer, or `?apiKey=` (docs, older clients). */
function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['backlog-api-key'];
  if (typeof header === 'string' && header) return header;
  const authorization = request.headers.authorization;
  if (authorization) {
    const [scheme, secret] = authorization.split(' ');
    return scheme?.toLowerCase() === 'bearer' && secret ? secret : '';
  }
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return null;
  const apiKey = new URLSearchParams(url.slice(q + 1)).get('apiKey');
  return apiKey ?? null;
}

/** The web app names the org whose space it works in; a session may reach every org it is a member of. */
export const ORG_HEADER = 'x-toride-org';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function callerOf(request: FastifyRequest): Caller {
  if (!request.backlogCaller) throw unauthenticated('Authentication failure.');
  return request.backlogCaller;
}

/**
 * The Backlog API v2 surface, mounted at `/api/v2` in its own encapsulated context: its own auth
 * (personal API keys; the key's org is the space), its own body parser and its own error shape.
 */
export function backlogApi(deps: ProjectsDeps) {
  const limits = parseBacklogLimits(deps.kernel.config);
  return async (api: FastifyInstance) => {
    // The platform's auth hook must not answer for these routes: they authenticate below. They are
    // not part of the native API, so they stay out of its OpenAPI document too.
    api.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), auth: 'public' };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    api.removeAllContentTypeParsers();
    // The kernel's limits (depth, field count, no NUL) before any handler runs (issue 12 §7).
    api.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      try {
        const fields = parseBacklogParams(String(body));
        checkFormFields(fields);
        done(null, fields);
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    api.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, readJsonBody(String(body), {}));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    api.decorateRequest('backlogCaller', null);
    api.decorateRequest('backlogViaSession', false);
    registerBacklogErrors(api);

    // Browsers may call the API directly (backlog-js sets `mode: "cors"`) with API keys in headers,
    // so any origin may read those answers; preflights need no key. Answers authenticated by the web
    // app's session cookie are same-origin only: no CORS header at all, and preflights never allow
    // the CSRF or org headers, so another origin can neither read them nor write with a cookie.
    api.addHook('onSend', async (request, reply) => {
      void reply.header('vary', 'Cookie');
      if (request.backlogViaSession) return;
      void reply.header('access-control-allow-origin', '*');
      void reply.header('access-control-expose-headers', 'x-request-id');
    });
    api.addHook('onRequest', async (request, reply) => {
      if (request.method === 'OPTIONS') {
        return reply
          .status(204)
          .header('access-control-allow-methods', 'GET, POST, PATCH, PUT, DELETE')
          .header('access-control-allow-headers', 'Backlog-API-Key, Authorization, Content-Type')
          .header('access-control-max-age', '600')
          .send();
      }
      if (request.is404) return;
      const secret = presentedKey(request);
      const noKeyPresented = secret === null;
      // The web app in a classic space (X-Toride-Space): the classic session cookie only (classic/).
      if (noKeyPresented && wantsClassicSession(request)) {
        request.backlogViaSession = true;
        const classic = await classicSessionCaller(deps, request);
        if (classic === 'csrf') return sendBacklogError(reply, 403, BacklogCode.unauthorizedOperation, 'The request lacks a valid CSRF token. Reload the page and try again.');
        if (!classic) return sendBacklogError(reply, 401, BacklogCode.authentication, 'Authentication failure.');
        request.backlogCaller = classic;
        if (limits) return enforceBacklogRateLimit(deps, limits, request, reply, classic);
        return;
      }
      if (noKeyPresented) {
        const session = await deps.identity.resolveSessionPrincipal(request);
        if (session) {
          request.backlogViaSession = true;
          return sessionCaller(request, reply, session);
        }
      }
      // A classic user's key (`trc_…`, classic/) opens only their own space.
      const classicKey = secret ? await classicKeyCaller(deps, request, secret) : null;
      if (classicKey) {
        request.backlogCaller = classicKey;
        if (limits) return enforceBacklogRateLimit(deps, limits, request, reply, classicKey);
        return;
      }
      // A personal API key, else (Authorization: Bearer only) an OAuth 2.0 access token (oauth/).
      const apiKey = secret ? await deps.identity.resolveApiKeyPrincipal(secret, requestMeta(request)) : null;
      const key = apiKey ?? (secret && request.headers.authorization ? await resolveBearer(deps, secret) : null);
      if (!key) return sendBacklogError(reply, 401, BacklogCode.authentication, 'Authentication failure.');
      request.backlogCaller = await resolveCaller(deps, key, requestMeta(request));
      if (limits) return enforceBacklogRateLimit(deps, limits, request, reply, request.backlogCaller);
    });
    /** The web app (same origin, session cookie): CSRF header on writes, like `/api/v1`, and an org it belongs to. */
    async function sessionCaller(request: FastifyRequest, reply: FastifyReply, session: SessionPrincipal) {
      const sent = request.headers[CSRF_HEADER];
      if (!SAFE_METHODS.has(request.method) && (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))) {
        return sendBacklogError(reply, 403, BacklogCode.unauthorizedOperation, 'The request lacks a valid CSRF token. Reload the page and try again.');
      }
      const orgId = request.headers[ORG_HEADER];
      if (typeof orgId !== 'string' || !orgId) return sendBacklogError(reply, 400, BacklogCode.invalidRequest, `The ${ORG_HEADER} header is required with a session.`);
      request.backlogCaller = await resolveCaller(deps, { accountId: session.accountId, orgId, session }, requestMeta(request));
      if (limits) return enforceBacklogRateLimit(deps, limits, request, reply, request.backlogCaller);
    }
    // W5.2: the caller's org teams, re-read from identity before any access check (teams/teams.sync.ts).
    api.addHook('preHandler', async (request) => {
      if (request.backlogCaller) await refreshCallerTeams(deps, request.backlogCaller);
    });
    api.get('/rateLimit', async (request) => rateLimitStatus(deps, limits, callerOf(request)));

    await api.register(spaceRoutes(deps));
    await api.register(projectRoutes(deps));
    await api.register(issueRoutes(deps));
    await api.register(commentExtraRoutes(deps));
    await api.register(wikiRoutes(deps));
    await api.register(documentRoutes(deps));
    await api.register(classicUserRoutes(deps));
    await api.register(customFieldRoutes(deps));
    await api.register(attachmentRoutes(deps));
    await api.register(socialRoutes(deps));
    await api.register(feedRoutes(deps));
    await api.register(spaceInfoRoutes(deps));
    await api.register(teamRoutes(deps));
    await api.register(sharedFileRoutes(deps));
    await api.register(webhookRoutes(deps));
    await api.register(relatedIssueRoutes(deps));
    await api.register(wikiAttachmentRoutes(deps));
    // Git and pull requests are not served yet: a Backlog-shaped 404, never the web app.
    api.all('/projects/:projectIdOrKey/git/*', async (_request, reply) => sendBacklogError(reply, 404, BacklogCode.noResource, 'No git repository.'));
    // Never the URL in a body: it may carry `?apiKey=` (issue 12 §7).
    api.all('/*', async (request, reply) => sendBacklogError(reply, 404, BacklogCode.noResource, `No such API: ${request.method}.`));
  };
}
