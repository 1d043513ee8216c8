import type { FastifyInstance, FastifyRequest } from 'fastify';
import { safeEqual } from '../crypto';
import { AppError, forbidden, unauthenticated } from '../errors';

/**
 * Who is calling. Built once per request by the authenticators modules register (identity: session
 * cookie and personal API key; operator: operator session), before validation so a missing
 * credential answers 401 rather than 400.
 */
export type Principal =
  | { kind: 'account'; accountId: string; via: 'session'; sessionId: string; csrfToken: string }
  | { kind: 'account'; accountId: string; via: 'api_key'; apiKeyId: string; orgId: string }
  | { kind: 'operator'; operatorId: string; via: 'session'; sessionId: string; csrfToken: string };

export type AccountPrincipal = Extract<Principal, { kind: 'account' }>;
export type SessionPrincipal = Extract<Principal, { kind: 'account'; via: 'session' }>;
export type OperatorPrincipal = Extract<Principal, { kind: 'operator' }>;

/** `optional` routes work signed out but use the caller's identity when there is one. */
export type AuthMode = 'public' | 'optional' | 'account' | 'operator';

export interface Authenticator {
  readonly kind: 'account' | 'operator';
  /** Returns null when the request carries no credential of this kind; throws 401 for a bad one. */
  authenticate(request: FastifyRequest): Promise<Principal | null>;
}

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null, requestId: request.id };
}

export function registerRequestContext(app: FastifyInstance, authenticators: readonly Authenticator[]): void {
  app.decorateRequest('principal', null);
  app.addHook('preValidation', async (request) => {
    if (request.is404) return;
    // API routes are closed unless they say otherwise; static files of the web app are public.
    const mode = request.routeOptions.config.auth ?? (request.routeOptions.url?.startsWith('/api/') ? 'account' : 'public');
    if (mode === 'public') return;
    const wanted = mode === 'operator' ? 'operator' : 'account';
    for (const authenticator of authenticators) {
      if (authenticator.kind !== wanted) continue;
      const principal = await authenticator.authenticate(request);
      if (principal) {
        request.principal = principal;
        break;
      }
    }
    if (!request.principal) {
      if (mode === 'optional') return;
      throw unauthenticated(mode === 'operator' ? 'Operator sign-in required.' : undefined);
    }
    checkCsrf(request, request.principal);
  });
}

/** Cookie sessions must echo their CSRF token on writes; API keys are not sent by browsers on their own. */
function checkCsrf(request: FastifyRequest, principal: Principal): void {
  if (SAFE_METHODS.has(request.method) || principal.via !== 'session') return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken)) {
    throw forbidden('The request lacks a valid CSRF token. Reload the page and try again.', 'auth.csrf');
  }
}

export function accountOf(request: FastifyRequest): AccountPrincipal {
  const principal = request.principal;
  if (principal?.kind !== 'account') throw unauthenticated();
  return principal;
}

export function operatorOf(request: FastifyRequest): OperatorPrincipal {
  const principal = request.principal;
  if (principal?.kind !== 'operator') throw new AppError(401, 'auth.unauthenticated', 'Operator sign-in required.');
  return principal;
}
