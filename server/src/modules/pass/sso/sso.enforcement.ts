import type { FastifyRequest } from 'fastify';
import { assertThat, conflict } from '../../../kernel/errors';
import type { RequestMeta } from '../../../kernel/http/request-context';
import type { OrgAccess, OrgAdminFacts, PasswordSignInAttempt, PasswordSignInGuard } from '../../identity';
import { auditByAdmin, ssoRepo, type SsoDeps } from './sso.deps';

/** W8.3: break-glass admins are non-managed admins with 2FA; they keep password sign-in under enforcement. */
export async function breakGlassAdmins(deps: SsoDeps, orgId: string) {
  return (await deps.identity.externalSignIn.listAdmins(orgId)).filter((a) => !a.managed && a.twoFactor);
}

export async function enforcementOf(deps: SsoDeps, orgId: string) {
  const row = await ssoRepo(deps).findSettings(orgId);
  return { enforced: Boolean(row?.enforced), enforcedAt: row?.enforced_at ?? null };
}

/**
 * Turning enforcement on needs a connection that passed "test connection" and a break-glass admin;
 * turning it off is always allowed. Both are audited.
 */
export async function setEnforcement(deps: SsoDeps, request: FastifyRequest, access: OrgAccess, enforced: boolean) {
  const orgId = access.org.id;
  if (enforced) {
    const tested = (await ssoRepo(deps).listConnections(orgId)).filter((c) => c.enabled && c.last_test_ok === 1);
    assertThat(tested.length > 0, () => conflict('sso.test_required', 'Run "test connection" successfully on an enabled connection before enforcing SSO.'));
    const breakGlass = await breakGlassAdmins(deps, orgId);
    if (breakGlass.length === 0) {
      await auditByAdmin(deps, request, access, { action: 'sso.enforcement.enabled', outcome: 'denied', target: { type: 'org', id: orgId }, details: { reason: 'sso.break_glass_required' } });
      throw conflict('sso.break_glass_required', 'Keep at least one admin who is not managed and has two-factor authentication before enforcing SSO.');
    }
  }
  const now = deps.kernel.clock.now().toISOString();
  await ssoRepo(deps).upsertSettings({ org_id: orgId, enforced: enforced ? 1 : 0, enforced_at: enforced ? now : null, enforced_by: enforced ? access.account.id : null, updated_at: now });
  await auditByAdmin(deps, request, access, { action: enforced ? 'sso.enforcement.enabled' : 'sso.enforcement.disabled', target: { type: 'org', id: orgId } });
  return enforcementOf(deps, orgId);
}

/**
 * The org whose enforcement covers this address: the org that verified its domain (managed accounts have
 * no password and are refused by identity itself). One function, so the scope has a single place to change.
 */
export async function enforcingOrgFor(deps: SsoDeps, email: string): Promise<string | null> {
  const domain = email.split('@')[1]?.toLowerCase();
  if (!domain) return null;
  const orgId = await ssoRepo(deps).orgOfVerifiedDomain(domain);
  if (!orgId) return null;
  return (await ssoRepo(deps).findSettings(orgId))?.enforced ? orgId : null;
}

/**
 * THE rule of SSO enforcement (W8.3, issue 13 §1), registered with identity, which asks it on every path
 * that can start a password session or set a password (sign-in, second factor, sign-up, invitation,
 * password reset and change, email change, OAuth consent). A password is allowed for an address no org
 * enforces SSO for, and for a break-glass admin (non-managed, 2FA) of the enforcing org; refusals are
 * audited in that org. Break-glass (issue 13 §5): the password step records an attempt; only a completed
 * second factor raises the alert (audit `sso.break_glass.sign_in` and mail to the other admins).
 */
export function passwordSignInGuard(deps: SsoDeps): PasswordSignInGuard {
  return async (attempt, meta: RequestMeta) => {
    const orgId = await enforcingOrgFor(deps, attempt.email);
    if (!orgId) return { allowed: true };
    const admins = attempt.accountId ? await deps.identity.externalSignIn.listAdmins(orgId) : [];
    const self = admins.find((a) => a.accountId === attempt.accountId);
    // For an email change the address is the new one: it is the subject (erasable with the account), not the actor's.
    const newAddress = attempt.path === 'email_change';
    const actorEmail = newAddress ? null : attempt.email;
    const actor = attempt.accountId
      ? { type: 'account' as const, id: attempt.accountId, name: attempt.name, email: actorEmail }
      : { type: 'anonymous' as const, name: attempt.name, email: actorEmail };
    const where = { ip: meta.ip, userAgent: meta.userAgent, requestId: meta.requestId, subjectEmail: newAddress ? attempt.email : null };
    if (self && !self.managed && self.twoFactor) {
      if (attempt.path === 'sign_in') {
        await deps.kernel.audit.record({ orgId, action: 'sso.break_glass.attempt', outcome: 'success', actor, ...where, details: { step: 'password' } });
      } else if (attempt.path === 'second_factor') {
        await deps.kernel.audit.record({ orgId, action: 'sso.break_glass.sign_in', outcome: 'success', actor, ...where, details: { alert: true } });
        await mailOtherAdmins(deps, orgId, admins, attempt, meta);
      }
      return { allowed: true };
    }
    const signIn = attempt.path === 'sign_in' || attempt.path === 'second_factor';
    await deps.kernel.audit.record({
      orgId,
      action: signIn ? 'auth.sign_in' : 'sso.password_refused',
      outcome: 'denied',
      actor,
      ...where,
      details: { reason: 'sso_enforced', path: attempt.path },
    });
    return { allowed: false, orgId };
  };
}

async function mailOtherAdmins(deps: SsoDeps, orgId: string, admins: OrgAdminFacts[], attempt: PasswordSignInAttempt, meta: RequestMeta) {
  for (const other of admins) {
    if (other.accountId === attempt.accountId || !other.email) continue;
    await deps.kernel.mailer.send({
      orgId,
      kind: 'pass.break_glass_alert',
      to: other.email,
      subject: 'Toride: break-glass sign-in / 緊急用サインイン',
      text:
        `${attempt.name ?? attempt.email} (${attempt.email}) signed in with a password and a second factor while single sign-on is enforced (break-glass), from ${meta.ip}.\n` +
        `シングルサインオンの強制中に ${attempt.name ?? attempt.email} (${attempt.email}) がパスワードと 2 要素認証でサインインしました（緊急用）。接続元: ${meta.ip}\n`,
    });
  }
}
