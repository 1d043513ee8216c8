import { assertThat, conflict, forbidden, notFound, unauthenticated } from '../../kernel/errors';
import type { AccountPrincipal, RequestMeta } from '../../kernel/http/request-context';
import type { AccountRow, Locale } from './identity.db';
import { asLocale, audit, emitEvent, type IdentityDeps } from './identity.deps';
import { mailTemplates } from './identity.mail';
import { identityRepositories } from './identity.repositories';
import { checkMemberChange } from './member-guards';
import { assertPasswordAcceptable } from './auth.service';
import { hashPassword, verifyPassword } from '../../kernel/passwords';
import { requirePasswordAllowed } from './password-guard';
import { reauthenticate } from './two-factor.service';

export async function loadAccountOrThrow(deps: IdentityDeps, accountId: string): Promise<AccountRow> {
  const account = await identityRepositories(deps.db).accounts.findById(accountId);
  assertThat(account && !account.suspended_at, () => unauthenticated());
  return account;
}

export async function loadMe(deps: IdentityDeps, accountId: string) {
  const repos = identityRepositories(deps.db);
  const account = await loadAccountOrThrow(deps, accountId);
  const orgs = await repos.orgs.listOrgsOfAccount(accountId);
  return { account, orgs };
}

export async function updateProfile(deps: IdentityDeps, account: AccountRow, input: { name?: string | undefined; locale?: Locale | undefined }) {
  const changes = {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
  };
  if (Object.keys(changes).length > 0) await identityRepositories(deps.db).accounts.update(account.id, changes);
}

/** W8.1: the owner changes their own password; every other session ends (a stolen one dies too). */
export async function changePassword(
  deps: IdentityDeps,
  account: AccountRow,
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
) {
  assertThat(!account.managed_org_id, () => forbidden('This account is managed by your organization and has no password.', 'account.managed_by_org'));
  const ok = await verifyPassword(account.password_hash, input.currentPassword);
  if (!ok) {
    await audit(deps, meta, { action: 'account.password_changed', outcome: 'failure', actor: account, target: { type: 'account', id: account.id } });
    throw unauthenticated('The current password is not correct.', 'auth.reauthentication_failed');
  }
  await assertPasswordAcceptable(input.newPassword, account.email, { name: account.name });
  // W8.3: no new password for an address under SSO enforcement (break-glass admins keep theirs).
  if (account.email) await requirePasswordAllowed(deps.kernel, { path: 'password_change', accountId: account.id, email: account.email, name: account.name }, meta);
  const repos = identityRepositories(deps.db);
  const now = deps.kernel.clock.now().toISOString();
  await repos.accounts.update(account.id, { password_hash: await hashPassword(input.newPassword), password_changed_at: now });
  await repos.sessions.deleteAllOfAccount(account.id, currentSessionId);
  await audit(deps, meta, { action: 'account.password_changed', outcome: 'success', actor: account, target: { type: 'account', id: account.id } });
  if (account.email) {
    await deps.kernel.mailer.send({ to: account.email, ...mailTemplates.passwordChanged(asLocale(account.locale), { name: account.name ?? '' }) });
  }
}

export const listSessions = (deps: IdentityDeps, accountId: string) =>
  identityRepositories(deps.db).sessions.listOfAccount(accountId, deps.kernel.clock.now().toISOString());

export async function revokeSession(deps: IdentityDeps, account: AccountRow, sessionId: string, meta: RequestMeta) {
  const result = await identityRepositories(deps.db).sessions.delete(account.id, sessionId);
  assertThat(Number(result.numDeletedRows) === 1, () => notFound('session.not_found', 'Session not found.'));
  await audit(deps, meta, { action: 'auth.session_revoked', outcome: 'success', actor: account, target: { type: 'session', id: sessionId } });
}

/** "Sign out everywhere else": every session but the caller's ends. */
export async function revokeOtherSessions(deps: IdentityDeps, account: AccountRow, currentSessionId: string, meta: RequestMeta): Promise<number> {
  const result = await identityRepositories(deps.db).sessions.deleteAllOfAccount(account.id, currentSessionId);
  const ended = result.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
  await audit(deps, meta, { action: 'auth.sessions_revoked', outcome: 'success', actor: account, target: { type: 'account', id: account.id }, details: { ended } });
  return ended;
}

/**
 * W6.3 / W4.4: only the owner deletes the account, after re-authenticating. Personal data is erased
 * at once; the id remains as a tombstone so content the account authored reads "deleted user"
 * (W4.11). An org is never left with members but no admin; an org whose only member leaves is
 * closed (its data then follows the org-deletion schedule, W4.1).
 */
export async function deleteAccount(
  deps: IdentityDeps,
  principal: AccountPrincipal,
  input: { password: string; code?: string | undefined; recoveryCode?: string | undefined },
  meta: RequestMeta,
) {
  const account = await loadAccountOrThrow(deps, principal.accountId);
  assertThat(!account.managed_org_id, () =>
    forbidden('This account is managed by your organization. Ask an organization admin to delete it.', 'account.managed_by_org'),
  );
  await reauthenticate(deps, account, input);
  const repos = identityRepositories(deps.db);
  const orgs = await repos.orgs.listOrgsOfAccount(account.id);
  await checkMemberChange(deps, { orgId: null, accountId: account.id, kind: 'delete' });
  const blockers: { id: string; name: string }[] = [];
  const orgsToClose: string[] = [];
  for (const org of orgs) {
    if (org.role !== 'admin' || (await repos.orgs.countAdmins(org.id)) > 1) continue;
    if ((await repos.orgs.countMembers(org.id)) > 1) blockers.push({ id: org.id, name: org.name });
    else orgsToClose.push(org.id);
  }
  assertThat(blockers.length === 0, () =>
    conflict('account.last_admin', 'You are the only admin of organizations that have other members. Make someone else admin first.', { orgs: blockers }),
  );
  const now = deps.kernel.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const tx = identityRepositories(trx);
    for (const orgId of orgsToClose) await tx.orgs.update(orgId, { deleted_at: now, plan_state: 'deleted' });
    await tx.accounts.deletePersonalRecords(account.id);
    if (account.email) await tx.accounts.eraseEmailTraces(account.id, account.email);
    await tx.accounts.eraseToTombstone(account.id, now);
  });
  // W7.6: a deleted admin may have been the only one able to read the audit log.
  for (const org of orgs) if (org.role === 'admin' && !orgsToClose.includes(org.id)) await repos.orgs.grantAuditToAdminsIfNone(org.id);
  for (const org of orgs) {
    await audit(deps, meta, { action: 'account.deleted', outcome: 'success', actor: account, orgId: org.id, target: { type: 'account', id: account.id } });
  }
  for (const orgId of orgsToClose) {
    await audit(deps, meta, { action: 'org.deleted', outcome: 'success', actor: account, orgId, target: { type: 'org', id: orgId }, details: { reason: 'last_member_deleted_account' } });
    emitEvent(deps, 'identity.org.deleted', orgId, { orgId });
  }
  // The address travels with the event so modules can erase it where it was recorded (W4.4).
  emitEvent(deps, 'identity.account.deleted', null, { accountId: account.id, email: account.email });
  if (account.email) {
    // Earlier mail to the address goes; only this last notice is kept, so the owner learns it happened.
    await deps.kernel.mailer.forgetRecipient(account.email);
    await deps.kernel.mailer.send({ to: account.email, ...mailTemplates.accountDeleted(asLocale(account.locale), { name: account.name ?? '' }) });
  }
}
