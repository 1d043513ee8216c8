import type { Kysely } from 'kysely';
import { toCount } from '../../kernel/dialect';
import type { IdentityDb } from './identity.db';

/** The columns a managed account is presented from: the account row joined with its one membership. */
const COLUMNS = [
  'accounts.id',
  'accounts.email',
  'accounts.name',
  'accounts.external_id',
  'accounts.suspended_at',
  'accounts.created_at',
  'accounts.updated_at',
  'accounts.managed_org_id',
  'memberships.role',
  'memberships.can_read_audit',
] as const;

/** Every SQL statement of managed accounts (W8.3): accounts owned by one org, no password. */
export function createManagedAccountRepository(db: Kysely<IdentityDb>) {
  const base = (orgId: string) =>
    db
      .selectFrom('accounts')
      .innerJoin('memberships', (join) => join.onRef('memberships.account_id', '=', 'accounts.id').on('memberships.org_id', '=', orgId))
      .select(COLUMNS)
      .where('accounts.managed_org_id', '=', orgId)
      .where('accounts.deleted_at', 'is', null);

  return {
    list: (orgId: string) => base(orgId).orderBy('accounts.email').execute(),

    find: (orgId: string, accountId: string) => base(orgId).where('accounts.id', '=', accountId).executeTakeFirst(),

    findByEmail: (orgId: string, email: string) => base(orgId).where('accounts.email', '=', email).executeTakeFirst(),

    findByExternalId: (orgId: string, externalId: string) => base(orgId).where('accounts.external_id', '=', externalId).executeTakeFirst(),

    /** Admins of the org who can act: not suspended, optionally other than one account. */
    countActiveAdmins: async (orgId: string, exceptAccountId: string) => {
      const row = await db
        .selectFrom('memberships')
        .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('memberships.org_id', '=', orgId)
        .where('memberships.role', '=', 'admin')
        .where('memberships.account_id', '!=', exceptAccountId)
        .where('accounts.suspended_at', 'is', null)
        .executeTakeFirst();
      return toCount(row?.n);
    },

    /** Suspension ends every way in at once: sessions, 2FA challenges and API keys. */
    endAllAccess: async (accountId: string) => {
      for (const table of ['sessions', 'two_factor_challenges', 'api_keys'] as const) {
        await db.deleteFrom(table).where('account_id', '=', accountId).execute();
      }
    },

    /** Consent tokens for a conversion are email tokens tied to the org that asked. */
    insertConversionToken: async (row: IdentityDb['email_tokens']) => {
      await db
        .updateTable('email_tokens')
        .set({ used_at: row.created_at })
        .where('account_id', '=', row.account_id)
        .where('purpose', '=', 'managed_conversion')
        .where('used_at', 'is', null)
        .execute();
      await db.insertInto('email_tokens').values(row).execute();
    },
  };
}

export type ManagedAccountRepository = ReturnType<typeof createManagedAccountRepository>;
export type ManagedAccountRecord = NonNullable<Awaited<ReturnType<ManagedAccountRepository['find']>>>;
