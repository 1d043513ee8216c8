import type { Kysely } from 'kysely';
import type { EmailTokenPurpose, IdentityDb, SessionRow } from './identity.db';

/** Sessions, sign-in challenges, recovery codes, one-time email tokens and the sign-in throttle. */
export function createSessionRepository(db: Kysely<IdentityDb>) {
  return {
    insert: (row: SessionRow) => db.insertInto('sessions').values(row).execute(),

    findActiveByTokenHash: (tokenHash: string, now: string) =>
      db
        .selectFrom('sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .executeTakeFirst(),

    findById: (accountId: string, id: string) =>
      db.selectFrom('sessions').select(['id', 'method']).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst(),

    touch: (id: string, lastSeenAt: string, expiresAt: string) =>
      db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute(),

    listOfAccount: (accountId: string, now: string) =>
      db
        .selectFrom('sessions')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('expires_at', '>', now)
        .orderBy('last_seen_at', 'desc')
        .execute(),

    delete: (accountId: string, id: string) =>
      db.deleteFrom('sessions').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst(),

    deleteAllOfAccount: (accountId: string, exceptId?: string) => {
      let query = db.deleteFrom('sessions').where('account_id', '=', accountId);
      if (exceptId) query = query.where('id', '!=', exceptId);
      return query.execute();
    },

    deleteExpired: (now: string) => db.deleteFrom('sessions').where('expires_at', '<=', now).execute(),
  };
}

export function createChallengeRepository(db: Kysely<IdentityDb>) {
  return {
    insert: (row: IdentityDb['two_factor_challenges']) => db.insertInto('two_factor_challenges').values(row).execute(),
    findActive: (id: string, now: string) =>
      db.selectFrom('two_factor_challenges').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst(),
    countAttempt: (id: string) =>
      db.updateTable('two_factor_challenges').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute(),
    delete: (id: string) => db.deleteFrom('two_factor_challenges').where('id', '=', id).execute(),
    deleteExpired: (now: string) => db.deleteFrom('two_factor_challenges').where('expires_at', '<=', now).execute(),

    replaceRecoveryCodes: async (accountId: string, hashes: readonly { id: string; code_hash: string }[]) => {
      await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
      await db
        .insertInto('recovery_codes')
        .values(hashes.map((h) => ({ id: h.id, account_id: accountId, code_hash: h.code_hash, used_at: null })))
        .execute();
    },
    /** Uses the code once: the conditional update fails for a code already spent. */
    useRecoveryCode: async (accountId: string, codeHash: string, at: string) => {
      const result = await db
        .updateTable('recovery_codes')
        .set({ used_at: at })
        .where('account_id', '=', accountId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    deleteRecoveryCodes: (accountId: string) => db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute(),
  };
}

export function createEmailTokenRepository(db: Kysely<IdentityDb>) {
  return {
    insert: (row: IdentityDb['email_tokens']) => db.insertInto('email_tokens').values(row).execute(),
    findUsable: (tokenHash: string, purposes: readonly EmailTokenPurpose[], now: string) =>
      db
        .selectFrom('email_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('purpose', 'in', purposes)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    /** Single use: the conditional update lets exactly one caller spend the token. */
    markUsed: async (id: string, at: string) => {
      const result = await db.updateTable('email_tokens').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    invalidateOpen: (accountId: string, purpose: IdentityDb['email_tokens']['purpose'], at: string) =>
      db
        .updateTable('email_tokens')
        .set({ used_at: at })
        .where('account_id', '=', accountId)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .execute(),
    deleteExpired: (now: string) => db.deleteFrom('email_tokens').where('expires_at', '<=', now).execute(),
  };
}

export function createThrottleRepository(db: Kysely<IdentityDb>) {
  return {
    find: (email: string) => db.selectFrom('sign_in_throttle').selectAll().where('email', '=', email).executeTakeFirst(),
    upsert: (row: IdentityDb['sign_in_throttle']) =>
      db
        .insertInto('sign_in_throttle')
        .values(row)
        .onConflict((oc) => oc.column('email').doUpdateSet({ failures: row.failures, locked_until: row.locked_until, updated_at: row.updated_at }))
        .execute(),
    clear: (email: string) => db.deleteFrom('sign_in_throttle').where('email', '=', email).execute(),
  };
}
