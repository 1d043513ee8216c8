import type { Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { ClassicApiKeyRow, ClassicSessionRow } from './classic.db';

/**
 * Every SQL statement for classic users' sessions and API keys. Lookups by secret digest join the
 * user's row, so a deleted user's leftover credential resolves to nothing (W6.5-like).
 */
export function createClassicCredentialsRepository(db: Kysely<ProjectsDb>) {
  return {
    insertSession: (row: ClassicSessionRow) => db.insertInto('classic_sessions').values(row).execute(),

    /** Sessions past their idle end; absolute-capped ones are found past their cap by `createdBefore`. */
    deleteEndedSessionsOf: (orgId: string, spaceUserId: number, now: string, createdBefore: string) =>
      db
        .deleteFrom('classic_sessions')
        .where('org_id', '=', orgId)
        .where('space_user_id', '=', spaceUserId)
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', createdBefore)]))
        .execute(),

    findActiveSession: (tokenHash: string, now: string) =>
      db
        .selectFrom('classic_sessions')
        .innerJoin('classic_users', (j) => j.onRef('classic_users.space_user_id', '=', 'classic_sessions.space_user_id').onRef('classic_users.org_id', '=', 'classic_sessions.org_id'))
        .selectAll('classic_sessions')
        .where('classic_sessions.token_hash', '=', tokenHash)
        .where('classic_sessions.expires_at', '>', now)
        .executeTakeFirst(),

    touchSession: (id: string, at: string, expiresAt: string) =>
      db.updateTable('classic_sessions').set({ last_seen_at: at, expires_at: expiresAt }).where('id', '=', id).execute(),

    deleteSession: (orgId: string, id: string) => db.deleteFrom('classic_sessions').where('org_id', '=', orgId).where('id', '=', id).execute(),

    /** Ends every session of a user, or every one but `keep` (a password change keeps the current one). */
    deleteSessionsOf: (orgId: string, spaceUserId: number, keep: string | null = null) => {
      let query = db.deleteFrom('classic_sessions').where('org_id', '=', orgId).where('space_user_id', '=', spaceUserId);
      if (keep) query = query.where('id', '!=', keep);
      return query.execute();
    },

    insertApiKey: (row: ClassicApiKeyRow) => db.insertInto('classic_api_keys').values(row).execute(),

    listApiKeys: (orgId: string, spaceUserId: number) =>
      db.selectFrom('classic_api_keys').selectAll().where('org_id', '=', orgId).where('space_user_id', '=', spaceUserId).orderBy('created_at').orderBy('id').execute(),

    findApiKeyByHash: (keyHash: string) =>
      db
        .selectFrom('classic_api_keys')
        .innerJoin('classic_users', (j) => j.onRef('classic_users.space_user_id', '=', 'classic_api_keys.space_user_id').onRef('classic_users.org_id', '=', 'classic_api_keys.org_id'))
        .selectAll('classic_api_keys')
        .where('classic_api_keys.key_hash', '=', keyHash)
        .executeTakeFirst(),

    touchApiKey: (id: string, at: string) => db.updateTable('classic_api_keys').set({ last_used_at: at }).where('id', '=', id).execute(),

    deleteApiKey: async (orgId: string, spaceUserId: number, id: string) =>
      Number((await db.deleteFrom('classic_api_keys').where('org_id', '=', orgId).where('space_user_id', '=', spaceUserId).where('id', '=', id).executeTakeFirst()).numDeletedRows) === 1,

    deleteApiKeysOf: (orgId: string, spaceUserId: number) => db.deleteFrom('classic_api_keys').where('org_id', '=', orgId).where('space_user_id', '=', spaceUserId).execute(),
  };
}
