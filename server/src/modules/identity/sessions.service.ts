import { DAY, MINUTE } from '../../kernel/clock';
import { hashToken, newId, randomToken } from '../../kernel/crypto';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { SessionMethod } from './identity.db';
import type { IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';
import { requirePasswordAllowed, ssoRequired } from './password-guard';

const SESSION_IDLE_MS = 14 * DAY;
const SESSION_ABSOLUTE_MS = 90 * DAY;
/** Sliding expiry is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 5 * MINUTE;

export interface IssuedSession {
  sessionId: string;
  token: string;
  csrfToken: string;
}

/** The CSRF token is derived from the session id, so it needs no storage and dies with the session. */
export const csrfTokenFor = (deps: IdentityDeps, sessionId: string) => deps.kernel.secrets.mac(`csrf:${sessionId}`);

/** A fresh session with a fresh id: sign-in always rotates (no session fixation). */
export async function issueSession(deps: IdentityDeps, accountId: string, meta: RequestMeta, method: SessionMethod = 'password'): Promise<IssuedSession> {
  const now = deps.kernel.clock.now();
  const token = randomToken();
  const sessionId = newId();
  await identityRepositories(deps.db).sessions.insert({
    id: sessionId,
    token_hash: hashToken(token),
    account_id: accountId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
    ip: meta.ip,
    user_agent: meta.userAgent,
    method,
  });
  return { sessionId, token, csrfToken: csrfTokenFor(deps, sessionId) };
}

/** Resolves a session cookie to its account; extends the idle window, never beyond the absolute cap. */
export async function resolveSession(deps: IdentityDeps, token: string) {
  const now = deps.kernel.clock.now();
  const repos = identityRepositories(deps.db);
  const session = await repos.sessions.findActiveByTokenHash(hashToken(token), now.toISOString());
  if (!session) return null;
  const absoluteEnd = new Date(session.created_at).getTime() + SESSION_ABSOLUTE_MS;
  if (absoluteEnd <= now.getTime()) return null;
  if (now.getTime() - new Date(session.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    const expiresAt = Math.min(now.getTime() + SESSION_IDLE_MS, absoluteEnd);
    await repos.sessions.touch(session.id, now.toISOString(), new Date(expiresAt).toISOString());
  }
  return session;
}

export async function endSession(deps: IdentityDeps, accountId: string, sessionId: string): Promise<boolean> {
  const result = await identityRepositories(deps.db).sessions.delete(accountId, sessionId);
  return Number(result.numDeletedRows) === 1;
}

/**
 * W8.3 (issue 13 §1): a session granting new access (OAuth consent) must satisfy SSO enforcement like a
 * sign-in would: SSO sessions pass; a password session (or one from before methods were recorded)
 * passes only when the guard allows its address (no enforcement, or a break-glass admin).
 */
export async function requireSessionAllowedUnderSso(deps: IdentityDeps, principal: { accountId: string; sessionId: string }, meta: RequestMeta): Promise<void> {
  const repos = identityRepositories(deps.db);
  const [session, account] = await Promise.all([repos.sessions.findById(principal.accountId, principal.sessionId), repos.accounts.findById(principal.accountId)]);
  if (!session || !account) throw ssoRequired();
  if (session.method === 'saml' || session.method === 'oidc' || !account.email) return;
  // A managed account has no password: a password session of one can only predate its conversion.
  if (account.managed_org_id) throw ssoRequired();
  await requirePasswordAllowed(deps.kernel, { path: 'oauth_consent', accountId: account.id, email: account.email, name: account.name }, meta);
}
