import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../../kernel/crypto';
import { CSRF_HEADER, requestMeta } from '../../../kernel/http/request-context';
import type { Caller, ProjectsDeps } from '../spaces.service';
import { classicCaller, classicCsrfToken, looksLikeClassicKey, resolveClassicApiKey, resolveClassicSession } from './classic-auth.service';
import { CLASSIC_SESSION_COOKIE, CLASSIC_SPACE_HEADER } from './classic-session';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The web app working in a classic space says so with `X-Toride-Space`; it then uses the classic cookie only. */
export const wantsClassicSession = (request: FastifyRequest) => typeof request.headers[CLASSIC_SPACE_HEADER] === 'string';

/**
 * `/api/v2` with a classic session cookie (W6.6): the session opens the one space it was issued for
 * (the header must name that space), and writes carry the session's CSRF token like the platform's.
 */
export async function classicSessionCaller(deps: ProjectsDeps, request: FastifyRequest): Promise<Caller | 'csrf' | null> {
  const token = request.cookies[CLASSIC_SESSION_COOKIE];
  const located = token ? await resolveClassicSession(deps, token) : null;
  if (!located) return null;
  const caller = await classicCaller(deps, located, { apiKeyId: null, sessionId: located.sessionId }, requestMeta(request));
  if (!caller || caller.space.space_key !== request.headers[CLASSIC_SPACE_HEADER]) return null;
  const sent = request.headers[CSRF_HEADER];
  if (!SAFE_METHODS.has(request.method) && (typeof sent !== 'string' || !safeEqual(sent, classicCsrfToken(deps, located.sessionId)))) return 'csrf';
  return caller;
}

/** A classic user's personal API key (`trc_…`), good for `/api/v2` of their space only. */
export async function classicKeyCaller(deps: ProjectsDeps, request: FastifyRequest, secret: string): Promise<Caller | null> {
  if (!looksLikeClassicKey(secret)) return null;
  const located = await resolveClassicApiKey(deps, secret);
  return located ? classicCaller(deps, located, { apiKeyId: located.apiKeyId, sessionId: null }, requestMeta(request)) : null;
}
