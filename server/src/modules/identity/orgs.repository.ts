import type { Kysely, Updateable } from 'kysely';
import { toCount } from '../../kernel/dialect';
import type { IdentityDb, MembershipRow, OrganizationRow, Role } from './identity.db';

export function createOrgRepository(db: Kysely<IdentityDb>) {
  /** An account's orgs with its membership (the shape `GET /me` lists). */
  const orgsOfAccount = (accountId: string) =>
    db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
      .select([
        'organizations.id',
        'organizations.name',
        'organizations.locale',
        'organizations.require_two_factor',
        'memberships.role',
        'memberships.can_invite',
      ])
      .where('memberships.account_id', '=', accountId);

  return {
    insert: (row: OrganizationRow) => db.insertInto('organizations').values(row).execute(),

    findById: (id: string) =>
      db.selectFrom('organizations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst(),

    update: (id: string, changes: Updateable<OrganizationRow>) =>
      db.updateTable('organizations').set(changes).where('id', '=', id).execute(),

    listAll: () => db.selectFrom('organizations').selectAll().orderBy('created_at').execute(),

    insertMembership: (row: MembershipRow) => db.insertInto('memberships').values(row).execute(),

    findMembership: (orgId: string, accountId: string) =>
      db
        .selectFrom('memberships')
        .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
        .selectAll('memberships')
        .where('memberships.org_id', '=', orgId)
        .where('memberships.account_id', '=', accountId)
        .where('organizations.deleted_at', 'is', null)
        .executeTakeFirst(),

    /** The caller's orgs with their membership, for `GET /me` and the org switcher. */
    listOrgsOfAccount: (accountId: string) =>
      orgsOfAccount(accountId)
        .where('organizations.deleted_at', 'is', null)
        .orderBy('organizations.name')
        .execute(),

    /** Orgs in their deletion grace period (deleted, not purged) that the account administers: admins may still restore them (W4.1). */
    listDeletedOrgsAdministered: (accountId: string) =>
      orgsOfAccount(accountId)
        .where('memberships.role', '=', 'admin')
        .where('organizations.deleted_at', 'is not', null)
        .where('organizations.plan_state', '=', 'deleted')
        .orderBy('organizations.name')
        .execute(),

    listMembers: (orgId: string) =>
      db
        .selectFrom('memberships')
        .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
        .select([
          'memberships.account_id',
          'memberships.role',
          'memberships.can_invite',
          'memberships.can_read_audit',
          'memberships.created_at',
          'accounts.name',
          'accounts.email',
          'accounts.locale',
          'accounts.totp_enabled_at',
        ])
        .where('memberships.org_id', '=', orgId)
        .orderBy('accounts.name')
        .execute(),

    updateMembership: (orgId: string, accountId: string, changes: { role?: Role; can_invite?: number; can_read_audit?: number }) =>
      db.updateTable('memberships').set(changes).where('org_id', '=', orgId).where('account_id', '=', accountId).execute(),

    deleteMembership: (orgId: string, accountId: string) =>
      db.deleteFrom('memberships').where('org_id', '=', orgId).where('account_id', '=', accountId).execute(),

    countAdmins: async (orgId: string) => {
      const row = await db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .where('role', '=', 'admin')
        .executeTakeFirst();
      return toCount(row?.n);
    },

    /** Admins holding the audit-log permission, other than `exceptAccountId` (W7.6 invariant). */
    countAuditReadingAdmins: async (orgId: string, exceptAccountId: string | null = null) => {
      let query = db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .where('role', '=', 'admin')
        .where('can_read_audit', '=', 1);
      if (exceptAccountId) query = query.where('account_id', '!=', exceptAccountId);
      const row = await query.executeTakeFirst();
      return toCount(row?.n);
    },

    /** Restores the W7.6 invariant when an admin vanished without asking (account deletion). */
    grantAuditToAdminsIfNone: async (orgId: string) => {
      await db
        .updateTable('memberships')
        .set({ can_read_audit: 1 })
        .where('org_id', '=', orgId)
        .where('role', '=', 'admin')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('memberships as m')
                .select('m.account_id')
                .where('m.org_id', '=', orgId)
                .where('m.role', '=', 'admin')
                .where('m.can_read_audit', '=', 1),
            ),
          ),
        )
        .execute();
    },

    /** Member counts of every org in one grouped query (the operator list must not be N+1). */
    countMembersByOrg: async () => {
      const rows = await db
        .selectFrom('memberships')
        .select(['org_id', (eb) => eb.fn.countAll().as('n')])
        .groupBy('org_id')
        .execute();
      return new Map(rows.map((row) => [row.org_id, toCount(row.n)]));
    },

    countMembers: async (orgId: string) => {
      const row = await db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return toCount(row?.n);
    },

    countTeams: async (orgId: string) => {
      const row = await db.selectFrom('teams').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirst();
      return toCount(row?.n);
    },
  };
}

export type OrgRepository = ReturnType<typeof createOrgRepository>;
