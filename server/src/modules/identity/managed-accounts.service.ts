import type { Kysely } from 'kysely';
import { assertThat, badRequest, conflict, notFound } from '../../kernel/errors';
import type { AuditActor } from '../../kernel/audit';
import type { AccountRow, IdentityDb, Role } from './identity.db';
import { emitEvent, normalizeEmail, type IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';
import { createManagedAccountRepository, type ManagedAccountRecord } from './managed-accounts.repository';
import { newId } from '../../kernel/crypto';
import { checkMemberChange } from './member-guards';

/** A managed account as other modules see it (W8.3): one org, no password, sign-in through the org's IdP. */
export interface ManagedAccount {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: 'admin' | 'member' | 'guest';
  externalId: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Who changed a managed account: an admin (through the API or UI), SCIM provisioning or SSO (JIT). */
export interface ManagedAccountActor {
  accountId: string | null;
  kind: 'account' | 'scim' | 'sso';
  ip?: string | null;
  userAgent?: string | null;
}

export interface ManagedAccountInput {
  email: string;
  name: string;
  role: ManagedAccount['role'];
  externalId?: string | null;
  active?: boolean;
}

export type ManagedAccountPatch = Partial<Pick<ManagedAccount, 'email' | 'name' | 'role' | 'externalId' | 'active'>>;

const ROLES: readonly Role[] = ['admin', 'member', 'guest'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const managedRepo = (db: Kysely<IdentityDb>) => createManagedAccountRepository(db);

export const managedNotFound = () => notFound('managed_account.not_found', 'Managed account not found.');

export function presentManagedAccount(orgId: string, row: ManagedAccountRecord): ManagedAccount {
  return {
    id: row.id,
    orgId,
    email: row.email ?? '',
    name: row.name ?? '',
    role: row.role,
    externalId: row.external_id,
    active: row.suspended_at === null,
    createdAt: row.created_at,
    updatedAt: row.updated_at ?? row.created_at,
  };
}

function checkEmail(value: string): string {
  const email = normalizeEmail(value);
  assertThat(email.length <= 254 && EMAIL.test(email), () => badRequest('managed_account.invalid_email', 'Enter a valid email address.'));
  return email;
}

function checkName(value: string): string {
  const name = value.trim();
  assertThat(name.length >= 1 && name.length <= 200, () => badRequest('managed_account.invalid_name', 'Enter a name of 1 to 200 characters.'));
  return name;
}

function checkRole(value: string): Role {
  assertThat((ROLES as readonly string[]).includes(value), () => badRequest('managed_account.invalid_role', 'The role must be admin, member or guest.'));
  return value as Role;
}

function checkExternalId(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  assertThat(value.length >= 1 && value.length <= 512, () => badRequest('managed_account.invalid_external_id', 'The external id must be 1 to 512 characters.'));
  return value;
}

/** Every change is audited in the org's log with the kind of actor (W13.1). */
export async function auditManaged(
  deps: IdentityDeps,
  actor: ManagedAccountActor,
  orgId: string,
  action: string,
  targetId: string,
  details: Record<string, unknown> = {},
  outcome: 'success' | 'failure' | 'denied' = 'success',
): Promise<void> {
  let auditActor: AuditActor = { type: 'system', id: null, name: actor.kind === 'scim' ? 'SCIM' : 'SSO' };
  if (actor.accountId) {
    const row = await identityRepositories(deps.db).accounts.findById(actor.accountId);
    auditActor = { type: 'account', id: actor.accountId, name: row?.name ?? null, email: row?.email ?? null };
  }
  await deps.kernel.audit.record({
    orgId,
    action,
    outcome,
    actor: auditActor,
    target: { type: 'account', id: targetId },
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    details: { actorKind: actor.kind, ...details },
  });
}

async function assertEmailFree(deps: IdentityDeps, email: string, exceptId: string | null): Promise<void> {
  const existing = await identityRepositories(deps.db).accounts.findByEmail(email);
  assertThat(!existing || existing.id === exceptId, () =>
    conflict('managed_account.email_taken', 'An account with this email already exists. Convert it instead, or use another address.'),
  );
}

async function assertExternalIdFree(deps: IdentityDeps, orgId: string, externalId: string | null, exceptId: string | null): Promise<void> {
  if (externalId === null) return;
  const existing = await managedRepo(deps.db).findByExternalId(orgId, externalId);
  assertThat(!existing || existing.id === exceptId, () =>
    conflict('managed_account.external_id_taken', 'Another managed account of this organization has this external id.'),
  );
}

const lastAdmin = () => conflict('member.last_admin', 'The organization needs at least one active admin. Make someone else admin first.');
const lastAuditReader = () =>
  conflict('member.last_audit_reader', 'At least one admin must be able to read the audit log. Give the permission to another admin first.');

/** The existing membership rules: never adminless, never without an audit reader (W7.1, W7.6). */
async function assertMayStopBeingAdmin(deps: IdentityDeps, orgId: string, current: ManagedAccountRecord): Promise<void> {
  if (current.role !== 'admin') return;
  assertThat((await managedRepo(deps.db).countActiveAdmins(orgId, current.id)) > 0, lastAdmin);
  if (current.can_read_audit === 1) {
    assertThat((await identityRepositories(deps.db).orgs.countAuditReadingAdmins(orgId, current.id)) > 0, lastAuditReader);
  }
}

export async function createManagedAccount(deps: IdentityDeps, orgId: string, input: ManagedAccountInput, actor: ManagedAccountActor): Promise<ManagedAccount> {
  const repos = identityRepositories(deps.db);
  assertThat(await repos.orgs.findById(orgId), () => notFound('org.not_found', 'Organization not found.'));
  const email = checkEmail(input.email);
  const name = checkName(input.name);
  const role = checkRole(input.role);
  const externalId = checkExternalId(input.externalId);
  await assertEmailFree(deps, email, null);
  await assertExternalIdFree(deps, orgId, externalId, null);
  const now = deps.kernel.clock.now().toISOString();
  const row: AccountRow = {
    id: newId(),
    email,
    // The org vouches for its own addresses; there is no password to protect by a verification round.
    email_verified_at: now,
    name,
    locale: (await repos.orgs.findById(orgId))?.locale ?? 'en',
    password_hash: null,
    totp_secret: null,
    totp_pending_secret: null,
    totp_enabled_at: null,
    totp_last_counter: null,
    password_changed_at: null,
    created_at: now,
    deleted_at: null,
    managed_org_id: orgId,
    external_id: externalId,
    suspended_at: input.active === false ? now : null,
    updated_at: now,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      const tx = identityRepositories(trx);
      await tx.accounts.insert(row);
      await tx.orgs.insertMembership({ org_id: orgId, account_id: row.id, role, can_invite: 0, can_read_audit: role === 'admin' ? 1 : 0, created_at: now });
    });
  } catch (error) {
    // Two creations racing for one address: the unique index decides, the loser gets the same 409.
    if (await repos.accounts.findByEmail(email)) await assertEmailFree(deps, email, null);
    throw error;
  }
  await auditManaged(deps, actor, orgId, 'managed_account.created', row.id, { role, externalId, active: input.active !== false }, 'success');
  emitEvent(deps, 'identity.member.added', orgId, { accountId: row.id, role, managed: true });
  const created = await managedRepo(deps.db).find(orgId, row.id);
  assertThat(created, managedNotFound);
  return presentManagedAccount(orgId, created);
}

export async function updateManagedAccount(
  deps: IdentityDeps,
  orgId: string,
  accountId: string,
  patch: ManagedAccountPatch,
  actor: ManagedAccountActor,
): Promise<ManagedAccount> {
  const repo = managedRepo(deps.db);
  const repos = identityRepositories(deps.db);
  const current = await repo.find(orgId, accountId);
  assertThat(current, managedNotFound);
  const now = deps.kernel.clock.now().toISOString();
  const changes: Partial<AccountRow> = {};
  const changed: Record<string, unknown> = {};
  if (patch.email !== undefined) {
    const email = checkEmail(patch.email);
    if (email !== current.email) {
      await assertEmailFree(deps, email, accountId);
      changes.email = email;
      changes.email_verified_at = now;
      changed.email = true;
    }
  }
  if (patch.name !== undefined) {
    const name = checkName(patch.name);
    if (name !== current.name) {
      changes.name = name;
      changed.name = true;
    }
  }
  if (patch.externalId !== undefined) {
    const externalId = checkExternalId(patch.externalId);
    if (externalId !== current.external_id) {
      await assertExternalIdFree(deps, orgId, externalId, accountId);
      changes.external_id = externalId;
      changed.externalId = externalId;
    }
  }
  const role = patch.role !== undefined ? checkRole(patch.role) : current.role;
  const suspend = patch.active === false && current.suspended_at === null;
  const reactivate = patch.active === true && current.suspended_at !== null;
  if ((role !== 'admin' && current.role === 'admin') || (suspend && current.role === 'admin')) await assertMayStopBeingAdmin(deps, orgId, current);
  if (role !== 'admin' && current.role === 'admin') await checkMemberChange(deps, { orgId, accountId, kind: 'demote' });
  if (suspend) await checkMemberChange(deps, { orgId, accountId, kind: 'suspend' });
  if (suspend) changes.suspended_at = now;
  if (reactivate) changes.suspended_at = null;
  const roleChanged = role !== current.role;
  if (Object.keys(changes).length === 0 && !roleChanged) return presentManagedAccount(orgId, current);
  await deps.db.transaction().execute(async (trx) => {
    const tx = identityRepositories(trx);
    await tx.accounts.update(accountId, { ...changes, updated_at: now });
    if (roleChanged) await tx.orgs.updateMembership(orgId, accountId, { role, can_invite: 0, can_read_audit: role === 'admin' ? 1 : 0 });
    // W8.3: a suspended account is out at once, in every browser and every API client.
    if (suspend) await createManagedAccountRepository(trx).endAllAccess(accountId);
  });
  if (changes.email && current.email) await repos.throttle.clear(current.email);
  if (roleChanged) {
    await auditManaged(deps, actor, orgId, 'member.updated', accountId, { from: { role: current.role }, to: { role } });
    emitEvent(deps, 'identity.member.updated', orgId, { accountId, role, canInvite: false, canReadAudit: role === 'admin' });
  }
  if (Object.keys(changed).length > 0) await auditManaged(deps, actor, orgId, 'managed_account.updated', accountId, { changed });
  if (suspend) await auditManaged(deps, actor, orgId, 'managed_account.suspended', accountId);
  if (reactivate) await auditManaged(deps, actor, orgId, 'managed_account.reactivated', accountId);
  const updated = await repo.find(orgId, accountId);
  assertThat(updated, managedNotFound);
  return presentManagedAccount(orgId, updated);
}

/**
 * W4.5: a deleted managed account's personal data goes at once, through the same path as a self
 * deletion: the row stays as a tombstone so authored content reads "deleted user" (W4.11), and
 * every module's purgeAccount hook runs on `identity.account.deleted`.
 */
export async function deleteManagedAccount(deps: IdentityDeps, orgId: string, accountId: string, actor: ManagedAccountActor): Promise<void> {
  const current = await managedRepo(deps.db).find(orgId, accountId);
  assertThat(current, managedNotFound);
  await assertMayStopBeingAdmin(deps, orgId, current);
  await checkMemberChange(deps, { orgId, accountId, kind: 'delete' });
  const now = deps.kernel.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const tx = identityRepositories(trx);
    await tx.accounts.deletePersonalRecords(accountId);
    if (current.email) await tx.accounts.eraseEmailTraces(accountId, current.email);
    await tx.accounts.eraseToTombstone(accountId, now);
  });
  await auditManaged(deps, actor, orgId, 'managed_account.deleted', accountId);
  emitEvent(deps, 'identity.member.removed', orgId, { accountId });
  emitEvent(deps, 'identity.account.deleted', null, { accountId, email: current.email });
  if (current.email) await deps.kernel.mailer.forgetRecipient(current.email);
}
