import type { FastifyReply, FastifyRequest } from 'fastify';
import { usesTls, type Config } from '../../config';
import { forbidden, unauthenticated } from '../../kernel/errors';
import { requestMeta, type Authenticator, type Principal } from '../../kernel/http/request-context';
import { resolveApiKey } from './api-keys.service';
import type { IdentityDeps } from './identity.deps';
import { csrfTokenFor, resolveSession, type IssuedSession } from './sessions.service';

export const SESSION_COOKIE = 'toride_session';
export const CSRF_COOKIE = 'toride_csrf';
const COOKIE_MAX_AGE_SECONDS = 90 * 24 * 3600;

export function setSessionCookies(reply: FastifyReply, config: Config, session: IssuedSession): void {
  const secure = usesTls(config);
  reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, secure, sameSite: 'lax', maxAge: COOKIE_MAX_AGE_SECONDS });
  // Readable by the web app on purpose: it echoes the value in the x-csrf-token header.
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { path: '/', httpOnly: false, secure, sameSite: 'strict', maxAge: COOKIE_MAX_AGE_SECONDS });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/** `Authorization: Bearer trd_…` (personal API key) first, then the session cookie. */
export function identityAuthenticators(deps: IdentityDeps): Authenticator[] {
  return [
    {
      kind: 'account',
      async authenticate(request: FastifyRequest): Promise<Principal | null> {
        const header = request.headers.authorization;
        if (!header) return null;
        const [scheme, secret] = header.split(' ');
        if (scheme?.toLowerCase() !== 'bearer' || !secret) throw unauthenticated('Malformed Authorization header.', 'auth.invalid_api_key');
        const key = await resolveApiKey(deps, secret, requestMeta(request));
        if (!key) throw unauthenticated('The API key is not valid or was revoked.', 'auth.invalid_api_key');
        return { kind: 'account', via: 'api_key', accountId: key.account_id, apiKeyId: key.id, orgId: key.org_id };
      },
    },
    {
      kind: 'account',
      async authenticate(request: FastifyRequest): Promise<Principal | null> {
        const token = request.cookies[SESSION_COOKIE];
        if (!token) return null;
        const session = await resolveSession(deps, token);
        if (!session) return null;
        return { kind: 'account', via: 'session', accountId: session.account_id, sessionId: session.id, csrfToken: csrfTokenFor(deps, session.id) };
      },
    },
  ];
}

/** Account management (password, 2FA, keys, deletion) is for a person at a browser, not for API keys. */
export function sessionPrincipalOf(request: FastifyRequest) {
  const principal = request.principal;
  if (principal?.kind !== 'account') throw unauthenticated();
  if (principal.via !== 'session') throw forbidden('Sign in with a browser session to manage your account.', 'auth.session_required');
  return principal;
}
