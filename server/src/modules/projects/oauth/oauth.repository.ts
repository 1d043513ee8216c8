import type { Insertable, Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { OAuthCodeTable, OAuthTokenTable } from './oauth.db';

/** Every SQL statement for OAuth apps, codes and tokens. Lookups by secret hash are global by design. */
export function createOAuthRepository(db: Kysely<ProjectsDb>) {
  return {
    listApps: (orgId: string) => db.selectFrom('oauth_apps').selectAll().where('org_id', '=', orgId).orderBy('id').execute(),

    insertApp: (row: { org_id: string; name: string; client_id: string; client_secret_hash: string; redirect_uri: string; created_by: string; created_at: string }) =>
      db.insertInto('oauth_apps').values(row).returningAll().executeTakeFirstOrThrow(),

    findApp: (orgId: string, id: number) => db.selectFrom('oauth_apps').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    findAppByClientId: (clientId: string) => db.selectFrom('oauth_apps').selectAll().where('client_id', '=', clientId).executeTakeFirst(),

    deleteApp: (orgId: string, id: number) => db.deleteFrom('oauth_apps').where('org_id', '=', orgId).where('id', '=', id).execute(),

    insertCode: (row: Insertable<OAuthCodeTable>) => db.insertInto('oauth_codes').values(row).execute(),

    /** Marks a code used; true only for the one caller that flipped it (codes are single-use). */
    consumeCode: async (codeHash: string, at: string) => {
      const result = await db.updateTable('oauth_codes').set({ used_at: at }).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    findCode: (codeHash: string) => db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst(),

    insertToken: (row: Insertable<OAuthTokenTable>) => db.insertInto('oauth_tokens').values(row).returningAll().executeTakeFirstOrThrow(),

    findByAccess: (accessHash: string) => db.selectFrom('oauth_tokens').selectAll().where('access_hash', '=', accessHash).executeTakeFirst(),

    findByRefresh: (refreshHash: string) => db.selectFrom('oauth_tokens').selectAll().where('refresh_hash', '=', refreshHash).executeTakeFirst(),

    revoke: async (id: number, at: string) => {
      const result = await db.updateTable('oauth_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Every token an account holds in the org dies with its membership (W6.5). */
    revokeAccount: (orgId: string, accountId: string, at: string) =>
      db.updateTable('oauth_tokens').set({ revoked_at: at }).where('org_id', '=', orgId).where('account_id', '=', accountId).where('revoked_at', 'is', null).execute(),
  };
}
