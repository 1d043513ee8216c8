import type { Kysely } from 'kysely';
import { newId } from '../../kernel/crypto';
import { assertThat, conflict, forbidden, notFound, unauthenticated } from '../../kernel/errors';
import type { AccountPrincipal, RequestMeta } from '../../kernel/http/request-context';
import type { IdentityDb, Locale, MembershipRow, OrganizationRow, Role } from './identity.db';
import { audit, emitEvent, type IdentityDeps } from './identity.deps';
import { requireAbility, type OrgAccess } from './identity.policy';
import { identityRepositories } from './identity.repositories';
import { checkMemberChange } from './member-guards';

const orgNotFound = () => notFound('org.not_found', 'Organization not found.');

/** Creates an org whose first member is its admin and contract admin (W6.1). Runs inside the caller's transaction. */
export async function createOrganizationFor(
  db: Kysely<IdentityDb>,
  accountId: string,
  input: { name: string; locale: Locale },
  now: string,
): Promise<OrganizationRow> {
  const org: OrganizationRow = {
    id: newId(),
    name: input.name.trim(),
    locale: input.locale,
    require_two_factor: 0,
    contract_admin_id: accountId,
    plan_state: 'active',
    created_at: now,
    deleted_at: null,
  };
  const repos = identityRepositories(db);
  await repos.orgs.insert(org);
  await repos.orgs.insertMembership({ org_id: org.id, account_id: accountId, role: 'admin', can_invite: 0, can_read_audit: 1, created_at: now });
  return org;
}

export async function createAdditionalOrganization(deps: IdentityDeps, accountId: string, input: { name: string; locale: Locale }, meta: RequestMeta): Promise<OrgAccess> {
  await deps.kernel.rateLimiter.consume(`org-create:${accountId}`, { limit: 20, windowSeconds: 86_400 });
  const account = await loadAccount(deps, accountId);
  const now = deps.kernel.clock.now().toISOString();
  const org = await deps.db.transaction().execute((trx) => createOrganizationFor(trx, account.id, input, now));
  await audit(deps, meta, { action: 'org.created', outcome: 'success', actor: account, orgId: org.id, target: { type: 'org', id: org.id } });
  emitEvent(deps, 'identity.org.created', org.id, { orgId: org.id, accountId: account.id, locale: input.locale });
  return { org, account, membership: { org_id: org.id, account_id: account.id, role: 'admin', can_invite: 0, can_read_audit: 1, created_at: now } };
}

async function loadAccount(deps: IdentityDeps, accountId: string) {
  const account = await identityRepositories(deps.db).accounts.findById(accountId);
  assertThat(account, () => unauthenticated());
  return account;
}

/**
 * The gate of every org route: the caller must be a member (else 404, so no org id of another
 * tenant is even confirmed to exist, W7.7), an API key only opens its own org, and an org that
 * requires 2FA turns away members without it (W2.4).
 */
export async function resolveOrgAccess(
  deps: IdentityDeps,
  principal: AccountPrincipal,
  orgId: string,
  options: { allowWithoutTwoFactor?: boolean } = {},
): Promise<OrgAccess> {
  if (principal.via === 'api_key' && principal.orgId !== orgId) throw orgNotFound();
  const repos = identityRepositories(deps.db);
  const [membership, account, org] = await Promise.all([
    repos.orgs.findMembership(orgId, principal.accountId),
    repos.accounts.findById(principal.accountId),
    repos.orgs.findById(orgId),
  ]);
  // A suspended managed account (W8.3) is signed out everywhere; a leftover credential opens nothing.
  assertThat(account && !account.suspended_at, () => unauthenticated());
  assertThat(membership && org, orgNotFound);
  if (org.require_two_factor === 1 && !account.totp_enabled_at && !options.allowWithoutTwoFactor) {
    throw forbidden('This organization requires two-factor authentication. Turn it on in your account settings.', 'auth.two_factor_required');
  }
  return { org, account, membership };
}

export async function updateOrganization(deps: IdentityDeps, access: OrgAccess, input: { name?: string | undefined; requireTwoFactor?: boolean | undefined }, meta: RequestMeta) {
  requireAbility(access, 'org:update');
  if (input.requireTwoFactor === true) {
    assertThat(access.account.totp_enabled_at, () =>
      conflict('org.enable_two_factor_first', 'Turn on two-factor authentication for your own account before requiring it for everyone.'),
    );
  }
  const changes: Partial<OrganizationRow> = {};
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.requireTwoFactor !== undefined) changes.require_two_factor = input.requireTwoFactor ? 1 : 0;
  if (Object.keys(changes).length > 0) {
    await identityRepositories(deps.db).orgs.update(access.org.id, changes);
    await audit(deps, meta, { action: 'org.updated', outcome: 'success', actor: access.account, orgId: access.org.id, target: { type: 'org', id: access.org.id }, details: { ...input } });
  }
  return { ...access, org: { ...access.org, ...changes } };
}

export async function listMembers(deps: IdentityDeps, access: OrgAccess) {
  requireAbility(access, 'member:list');
  return identityRepositories(deps.db).orgs.listMembers(access.org.id);
}

async function findMemberOrThrow(deps: IdentityDeps, orgId: string, accountId: string) {
  const member = await identityRepositories(deps.db).orgs.findMembership(orgId, accountId);
  assertThat(member, () => notFound('member.not_found', 'Member not found.'));
  return member;
}

const lastAuditReader = () =>
  conflict('member.last_audit_reader', 'At least one admin must be able to read the audit log. Give the permission to another admin first.');

/**
 * W7.6: the audit-log permission. Admins get it on promotion unless told otherwise; a demotion
 * drops it unless it is explicitly kept (members may hold it, guests never do).
 */
function nextAuditPermission(member: MembershipRow, role: Role, requested: boolean | undefined): boolean {
  if (role === 'guest') return false;
  if (requested !== undefined) return requested;
  if (role === 'admin' && member.role !== 'admin') return true;
  if (role !== 'admin' && member.role === 'admin') return false;
  return member.can_read_audit === 1;
}

/** W7.1: only admins change roles and the invite permission; an org is never left without an admin. */
export async function updateMember(
  deps: IdentityDeps,
  access: OrgAccess,
  accountId: string,
  input: { role?: Role | undefined; canInvite?: boolean | undefined; canReadAudit?: boolean | undefined },
  meta: RequestMeta,
) {
  requireAbility(access, 'member:update');
  const repos = identityRepositories(deps.db);
  const member = await findMemberOrThrow(deps, access.org.id, accountId);
  const role = input.role ?? member.role;
  if (member.role === 'admin' && role !== 'admin') await checkMemberChange(deps, { orgId: access.org.id, accountId, kind: 'demote' });
  if (member.role === 'admin' && role !== 'admin') {
    assertThat((await repos.orgs.countAdmins(access.org.id)) > 1, () =>
      conflict('member.last_admin', 'The organization needs at least one admin. Make someone else admin first.'),
    );
  }
  const canInvite = role === 'member' ? (input.canInvite ?? member.can_invite === 1) : false;
  const canReadAudit = nextAuditPermission(member, role, input.canReadAudit);
  const heldAsAdmin = member.role === 'admin' && member.can_read_audit === 1;
  if (heldAsAdmin && !(role === 'admin' && canReadAudit)) {
    assertThat((await repos.orgs.countAuditReadingAdmins(access.org.id, accountId)) > 0, lastAuditReader);
  }
  await repos.orgs.updateMembership(access.org.id, accountId, { role, can_invite: canInvite ? 1 : 0, can_read_audit: canReadAudit ? 1 : 0 });
  await audit(deps, meta, {
    action: 'member.updated',
    outcome: 'success',
    actor: access.account,
    orgId: access.org.id,
    target: { type: 'account', id: accountId },
    details: {
      from: { role: member.role, canInvite: member.can_invite === 1, canReadAudit: member.can_read_audit === 1 },
      to: { role, canInvite, canReadAudit },
    },
  });
  emitEvent(deps, 'identity.member.updated', access.org.id, { accountId, role, canInvite, canReadAudit });
  const members = await repos.orgs.listMembers(access.org.id);
  return members.find((m) => m.account_id === accountId);
}

/**
 * W6.5: removal takes effect at once. Every org route re-checks membership per request, so the
 * member's sessions stop working for this org immediately; their API keys for it are deleted.
 */
export async function removeMember(deps: IdentityDeps, access: OrgAccess, accountId: string, meta: RequestMeta) {
  const leaving = accountId === access.account.id;
  if (!leaving) requireAbility(access, 'member:remove');
  const member = await findMemberOrThrow(deps, access.org.id, accountId);
  const repos = identityRepositories(deps.db);
  const leavingAccount = await repos.accounts.findById(accountId);
  // W8.3: a managed account exists only inside its org; it is deleted (purged), not removed.
  assertThat(leavingAccount?.managed_org_id !== access.org.id, () =>
    conflict('member.managed_account', 'This is a managed account of the organization. Delete it under Managed accounts instead.'),
  );
  await checkMemberChange(deps, { orgId: access.org.id, accountId, kind: 'remove' });
  if (member.role === 'admin') {
    assertThat((await repos.orgs.countAdmins(access.org.id)) > 1, () =>
      conflict('member.last_admin', 'The organization needs at least one admin. Make someone else admin first.'),
    );
    if (member.can_read_audit === 1) {
      assertThat((await repos.orgs.countAuditReadingAdmins(access.org.id, accountId)) > 0, lastAuditReader);
    }
  }
  await deps.db.transaction().execute(async (trx) => {
    const tx = identityRepositories(trx);
    await tx.orgs.deleteMembership(access.org.id, accountId);
    await tx.teams.removeMemberEverywhere(access.org.id, accountId);
    await tx.apiKeys.deleteForMembership(access.org.id, accountId);
  });
  await audit(deps, meta, {
    action: leaving ? 'member.left' : 'member.removed',
    outcome: 'success',
    actor: access.account,
    orgId: access.org.id,
    target: { type: 'account', id: accountId },
  });
  emitEvent(deps, 'identity.member.removed', access.org.id, { accountId });
}
