import type { FastifyReply, FastifyRequest } from 'fastify';
import { usesTls, type Config } from '../../../config';
import { safeEqual } from '../../../kernel/crypto';
import { AppError, forbidden } from '../../../kernel/errors';
import { CSRF_HEADER, requestMeta } from '../../../kernel/http/request-context';
import type { ProjectsDeps } from '../spaces.service';
import { classicCsrfToken, classicUserOf, resolveClassicSession } from './classic-auth.service';
import type { ClassicUserRow } from './classic.db';
import { createClassicRepository } from './classic.repository';

/**
 * The classic session cookie. Only this module reads it: the platform's authenticators know
 * `toride_session` alone, so a classic session opens `/api/v2` of its own space (with the
 * `X-Toride-Space` header) and the classic self-service routes, never `/api/v1` or other services.
 */
export const CLASSIC_SESSION_COOKIE = 'toride_classic_session';
/** Readable by the web app on purpose: it echoes the value in the x-csrf-token header. */
export const CLASSIC_CSRF_COOKIE = 'toride_classic_csrf';
/** The web app names the classic space it works in, in place of `X-Toride-Org`. */
export const CLASSIC_SPACE_HEADER = 'x-toride-space';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function setClassicCookies(reply: FastifyReply, config: Config, session: { token: string; csrfToken: string }): void {
  const secure = usesTls(config);
  reply.setCookie(CLASSIC_SESSION_COOKIE, session.token, { path: '/api', httpOnly: true, secure, sameSite: 'lax' });
  reply.setCookie(CLASSIC_CSRF_COOKIE, session.csrfToken, { path: '/', httpOnly: false, secure, sameSite: 'strict' });
}

export function clearClassicCookies(reply: FastifyReply): void {
  reply.clearCookie(CLASSIC_SESSION_COOKIE, { path: '/api' });
  reply.clearCookie(CLASSIC_CSRF_COOKIE, { path: '/' });
}

const noSession = () => new AppError(401, 'classic.unauthenticated', 'Sign in to this space first.');

/**
 * The classic session of a request for the space `spaceKey`, with its CSRF check on writes. A session
 * of another space answers exactly like no session (W7.7).
 */
export async function classicSessionOf(deps: ProjectsDeps, request: FastifyRequest, spaceKey: string) {
  const token = request.cookies[CLASSIC_SESSION_COOKIE];
  const located = token ? await resolveClassicSession(deps, token) : null;
  if (!located) throw noSession();
  const found = await classicUserOf(deps, located);
  const space = found ? await createClassicRepository(located.db).findBySpaceKey(spaceKey) : undefined;
  if (!found || space?.org_id !== located.orgId) throw noSession();
  const csrfToken = classicCsrfToken(deps, located.sessionId);
  const sent = request.headers[CSRF_HEADER];
  if (!SAFE_METHODS.has(request.method) && (typeof sent !== 'string' || !safeEqual(sent, csrfToken))) {
    throw forbidden('The request lacks a valid CSRF token. Reload the page and try again.', 'auth.csrf');
  }
  return { ...located, ...found, csrfToken, spaceKey: space.space_key };
}

/** Audit of what a classic user does to their own credentials: not a platform account, named by the target. */
export async function auditClassicSelf(deps: ProjectsDeps, request: FastifyRequest, action: string, user: ClassicUserRow, details: Record<string, unknown> = {}) {
  await deps.kernel.audit.record({
    orgId: user.org_id,
    product: 'projects',
    action,
    outcome: 'success',
    actor: { type: 'anonymous', id: `classic:${user.space_user_id}`, name: user.name, email: user.mail_address },
    target: { type: 'classic_user', id: String(user.space_user_id) },
    ...requestMeta(request),
    details: { userId: user.login_id, ...details },
  });
}
