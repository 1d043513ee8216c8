import type { PurgeBatchResult } from '../../kernel/module';
import { purgeTablesBatch, type PurgeTable } from '../../kernel/purge';
import type { IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';
import { reauthenticate } from './two-factor.service';

/**
 * Identity's part of an organization purge (W4.1, W4.10) and what the lifecycle engine asks of it.
 * Kept: the organization row (only PURGED_ORG_KEPT, once the purge completes) and every personal account —
 * accounts belong to people, not orgs: only their memberships go. Managed accounts (W8.3) belong
 * to the org and are erased to tombstones, so content they authored reads "deleted user" (W4.11).
 */
export const IDENTITY_PURGE_TABLES: PurgeTable[] = [
  { table: 'team_members', key: ['team_id', 'account_id'] },
  { table: 'teams', key: ['id'] },
  { table: 'invitations', key: ['id'] },
  { table: 'api_keys', key: ['id'] },
  { table: 'email_tokens', key: ['id'] },
  { table: 'memberships', key: ['org_id', 'account_id'] },
];

export async function purgeIdentityOrganization(deps: IdentityDeps, region: string, orgId: string, batchSize: number): Promise<PurgeBatchResult> {
  const deleted: { module: string; region: string; kind: string; rows: number }[] = [];
  let budget = batchSize;
  const managed = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email'])
    .where('managed_org_id', '=', orgId)
    .where('deleted_at', 'is', null)
    .limit(budget)
    .execute();
  if (managed.length > 0) {
    const now = deps.kernel.clock.now().toISOString();
    await deps.db.transaction().execute(async (trx) => {
      const tx = identityRepositories(trx);
      for (const account of managed) {
        await tx.accounts.deletePersonalRecords(account.id);
        if (account.email) await tx.accounts.eraseEmailTraces(account.id, account.email);
        await tx.accounts.eraseToTombstone(account.id, now);
      }
    });
    deleted.push({ module: 'identity', region, kind: 'managed_accounts', rows: managed.length });
    budget -= managed.length;
    if (budget <= 0) return { done: false, deleted };
  }
  // The rest through the kernel's batcher, like every other module's purge (kernel/purge.ts).
  const rest = await purgeTablesBatch(deps.db, { module: 'identity', region, orgId }, IDENTITY_PURGE_TABLES, budget);
  return { done: rest.done, deleted: [...deleted, ...rest.deleted] };
}

/** What the lifecycle engine needs of identity for an org, deleted or not. */
export interface IdentityLifecycleApi {
  /** The org (also when deleted) and the caller's role in it, or null when not a member / unknown. */
  orgAccess(orgId: string, accountId: string): Promise<{ org: { id: string; name: string; planState: string; deletedAt: string | null }; role: string } | null>;
  org(orgId: string): Promise<{ id: string; name: string; planState: string; deletedAt: string | null; contractAdminId: string | null } | null>;
  /** Password + TOTP, as for account deletion; throws AppError 401/400 when it fails. */
  reauthenticate(accountId: string, input: { password: string; code?: string | undefined; recoveryCode?: string | undefined }): Promise<void>;
  /** The org's plan state follows its workspace contract; `deletedAt` hides it from members (W4.1). */
  setOrgState(orgId: string, state: { planState: string; deletedAt: string | null }): Promise<void>;
  /** Name and contact of the contract admin, kept after the purge (W4.10). */
  contractAdminContact(orgId: string): Promise<{ accountId: string; name: string | null; email: string | null; locale: string } | null>;
  /**
   * The purge is complete: the org row keeps exactly what W4.10 lets it keep (PURGED_ORG_KEPT) and
   * its plan state becomes `purged`; the org's name, locale and settings are erased.
   */
  markPurged(orgId: string): Promise<void>;
  /** Purged orgs whose contract admin the account was (issue 16 §6): their receipts stay readable. */
  purgedOrgsOfContractAdmin(accountId: string): Promise<{ id: string; deletedAt: string | null }[]>;
}

/**
 * The columns of a purged org's row that keep their value (W4.10, issue 16 §4): the org id; the
 * contract records (plan state `purged`, when the org was created and deleted); and the link to
 * the contract admin, whose name and contact are kept — the account is theirs, and it is how they
 * still read the deletion receipt and the final timeline (issue 16 §6). Every other column is
 * blanked: `name` '' and `locale` '' (NOT NULL columns), `require_two_factor` 0.
 */
export const PURGED_ORG_KEPT = ['id', 'plan_state', 'created_at', 'deleted_at', 'contract_admin_id'] as const;
export const PURGED_ORG_ERASED = { name: '', locale: '', require_two_factor: 0 } as const;

export function identityLifecycleApi(deps: IdentityDeps): IdentityLifecycleApi {
  const orgRow = (orgId: string) => deps.db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirst();
  return {
    async orgAccess(orgId, accountId) {
      const [org, membership] = await Promise.all([
        orgRow(orgId),
        deps.db.selectFrom('memberships').select('role').where('org_id', '=', orgId).where('account_id', '=', accountId).executeTakeFirst(),
      ]);
      if (!org || !membership) return null;
      return { org: { id: org.id, name: org.name, planState: org.plan_state, deletedAt: org.deleted_at }, role: membership.role };
    },
    async org(orgId) {
      const org = await orgRow(orgId);
      return org ? { id: org.id, name: org.name, planState: org.plan_state, deletedAt: org.deleted_at, contractAdminId: org.contract_admin_id } : null;
    },
    async reauthenticate(accountId, input) {
      const account = await identityRepositories(deps.db).accounts.findById(accountId);
      if (!account) throw new Error('account not found');
      await reauthenticate(deps, account, input);
    },
    async setOrgState(orgId, state) {
      await deps.db.updateTable('organizations').set({ plan_state: state.planState, deleted_at: state.deletedAt }).where('id', '=', orgId).execute();
    },
    async markPurged(orgId) {
      await deps.db.updateTable('organizations').set({ ...PURGED_ORG_ERASED, plan_state: 'purged' }).where('id', '=', orgId).execute();
    },
    async purgedOrgsOfContractAdmin(accountId) {
      const rows = await deps.db.selectFrom('organizations').select(['id', 'deleted_at']).where('contract_admin_id', '=', accountId).where('plan_state', '=', 'purged').orderBy('deleted_at').execute();
      return rows.map((r) => ({ id: r.id, deletedAt: r.deleted_at }));
    },
    async contractAdminContact(orgId) {
      const org = await orgRow(orgId);
      if (!org?.contract_admin_id) return null;
      const account = await deps.db.selectFrom('accounts').select(['id', 'name', 'email', 'locale']).where('id', '=', org.contract_admin_id).executeTakeFirst();
      return account ? { accountId: account.id, name: account.name, email: account.email, locale: account.locale } : null;
    },
  };
}
