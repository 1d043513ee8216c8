import type { Kysely } from 'kysely';
import type { ApiKeyRow, IdentityDb } from './identity.db';

export function createApiKeyRepository(db: Kysely<IdentityDb>) {
  return {
    insert: (row: ApiKeyRow) => db.insertInto('api_keys').values(row).execute(),
    findByHash: (keyHash: string) => db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst(),
    findOfAccount: (accountId: string, id: string) =>
      db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst(),
    listOfAccount: (accountId: string) =>
      db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').execute(),
    touch: (id: string, at: string) => db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute(),
    delete: (accountId: string, id: string) =>
      db.deleteFrom('api_keys').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst(),
    /** W6.5: a removed member's keys into that org die with the membership. */
    deleteForMembership: (orgId: string, accountId: string) =>
      db.deleteFrom('api_keys').where('org_id', '=', orgId).where('account_id', '=', accountId).execute(),
  };
}
