import type { Kysely, Updateable } from 'kysely';
import { newId } from '../../kernel/crypto';
import type { AccountRow, IdentityDb } from './identity.db';

/** A fresh account row: a password, no second factor yet. */
export function newAccountRow(input: { email: string; name: string; locale: string; passwordHash: string; emailVerifiedAt: string | null; now: string }): AccountRow {
  return {
    id: newId(),
    email: input.email,
    email_verified_at: input.emailVerifiedAt,
    name: input.name.trim(),
    locale: input.locale,
    password_hash: input.passwordHash,
    totp_secret: null,
    totp_pending_secret: null,
    totp_enabled_at: null,
    totp_last_counter: null,
    password_changed_at: input.now,
    created_at: input.now,
    deleted_at: null,
    managed_org_id: null,
    external_id: null,
    suspended_at: null,
    updated_at: null,
  };
}

export function createAccountRepository(db: Kysely<IdentityDb>) {
  return {
    findById: (id: string) =>
      db.selectFrom('accounts').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst(),

    findByEmail: (email: string) =>
      db.selectFrom('accounts').selectAll().where('email', '=', email).where('deleted_at', 'is', null).executeTakeFirst(),

    /** Names for display, including tombstones of deleted accounts (shown as "deleted user", W4.11). */
    findSummaries: (ids: readonly string[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : db.selectFrom('accounts').select(['id', 'name', 'email', 'deleted_at']).where('id', 'in', ids).execute(),

    insert: (row: AccountRow) => db.insertInto('accounts').values(row).execute(),

    update: (id: string, changes: Updateable<AccountRow>) =>
      db.updateTable('accounts').set(changes).where('id', '=', id).execute(),

    /** W4.4: personal data gone at once; the id stays as a tombstone so authored content can say "deleted user". */
    eraseToTombstone: (id: string, at: string) =>
      db
        .updateTable('accounts')
        .set({
          email: null,
          email_verified_at: null,
          name: null,
          password_hash: null,
          totp_secret: null,
          totp_pending_secret: null,
          totp_enabled_at: null,
          password_changed_at: null,
          external_id: null,
          deleted_at: at,
        })
        .where('id', '=', id)
        .execute(),

    /** Traces of the address outside the account row: accepted invitations and the sign-in throttle. */
    eraseEmailTraces: async (id: string, email: string) => {
      await db.updateTable('invitations').set({ email: '' }).where('accepted_by', '=', id).execute();
      await db.deleteFrom('sign_in_throttle').where('email', '=', email).execute();
    },

    deletePersonalRecords: async (id: string) => {
      for (const table of ['sessions', 'two_factor_challenges', 'recovery_codes', 'email_tokens', 'api_keys', 'team_members', 'memberships'] as const) {
        await db.deleteFrom(table).where('account_id', '=', id).execute();
      }
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
