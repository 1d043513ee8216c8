import type { Kysely } from 'kysely';
import type { ScimDb, ScimResourceRow, ScimTokenRow } from './scim.db';

/** Every SQL statement of SCIM; all scoped by org (W7.7). */
export function createScimRepository(db: Kysely<ScimDb>) {
  return {
    insertToken: (row: ScimTokenRow) => db.insertInto('scim_tokens').values(row).execute(),
    listTokens: (orgId: string) => db.selectFrom('scim_tokens').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').execute(),
    findToken: (orgId: string, id: string) =>
      db.selectFrom('scim_tokens').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),
    findLiveTokenByHash: (hash: string) =>
      db.selectFrom('scim_tokens').selectAll().where('secret_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst(),
    /** Live tokens an account issued, in one org or (orgId null) in any. */
    liveTokensIssuedBy: (accountId: string, orgId: string | null) => {
      let query = db.selectFrom('scim_tokens').select(['id', 'org_id', 'label']).where('issued_by', '=', accountId).where('revoked_at', 'is', null);
      if (orgId) query = query.where('org_id', '=', orgId);
      return query.execute();
    },
    updateToken: (orgId: string, id: string, changes: Partial<Omit<ScimTokenRow, 'id' | 'org_id'>>) =>
      db.updateTable('scim_tokens').set(changes).where('org_id', '=', orgId).where('id', '=', id).execute(),
    countLiveTokens: async (orgId: string) => {
      const row = await db
        .selectFrom('scim_tokens')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('org_id', '=', orgId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    findResource: (orgId: string, type: ScimResourceRow['resource_type'], id: string) =>
      db
        .selectFrom('scim_resources')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('resource_type', '=', type)
        .where('resource_id', '=', id)
        .executeTakeFirst(),
    listResources: (orgId: string, type: ScimResourceRow['resource_type']) =>
      db.selectFrom('scim_resources').selectAll().where('org_id', '=', orgId).where('resource_type', '=', type).execute(),
    saveResource: (row: ScimResourceRow) =>
      db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('scim_resources')
          .where('org_id', '=', row.org_id)
          .where('resource_type', '=', row.resource_type)
          .where('resource_id', '=', row.resource_id)
          .execute();
        await trx.insertInto('scim_resources').values(row).execute();
      }),
    deleteResource: (orgId: string, type: ScimResourceRow['resource_type'], id: string) =>
      db.deleteFrom('scim_resources').where('org_id', '=', orgId).where('resource_type', '=', type).where('resource_id', '=', id).execute(),
    /** W4.5: an account deleted by any path loses its SCIM attributes too. */
    deleteUserEverywhere: (accountId: string) =>
      db.deleteFrom('scim_resources').where('resource_type', '=', 'User').where('resource_id', '=', accountId).execute(),
  };
}

export type ScimRepository = ReturnType<typeof createScimRepository>;
