import type { Kysely, Updateable } from 'kysely';
import { isUniqueViolation } from '../../../kernel/dialect';
import type { SsoConnectionRow, SsoDb, SsoOrgSettingsRow, SsoRequestRow, SsoSessionRow, VerifiedDomainsView } from './sso.db';

/** Every SQL statement of SSO. Org-scoped lookups take the org id first (W7.7). */
export function createSsoRepository(db: Kysely<SsoDb & VerifiedDomainsView>) {
  return {
    /** The org holding `domain` verified, if any (one org per verified domain). */
    orgOfVerifiedDomain: async (domain: string) =>
      (await db.selectFrom('verified_domains').select('org_id').where('domain', '=', domain).where('verified_at', 'is not', null).executeTakeFirst())?.org_id ?? null,

    listConnections: (orgId: string) => db.selectFrom('sso_connections').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute(),

    findConnection: (orgId: string, id: string) =>
      db.selectFrom('sso_connections').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    /** Public routes know only the connection id. */
    findConnectionById: (id: string) => db.selectFrom('sso_connections').selectAll().where('id', '=', id).executeTakeFirst(),

    insertConnection: (row: SsoConnectionRow) => db.insertInto('sso_connections').values(row).execute(),

    updateConnection: (orgId: string, id: string, changes: Updateable<SsoConnectionRow>) =>
      db.updateTable('sso_connections').set(changes).where('org_id', '=', orgId).where('id', '=', id).execute(),

    deleteConnection: async (orgId: string, id: string) => {
      await db.deleteFrom('sso_sessions').where('org_id', '=', orgId).where('connection_id', '=', id).execute();
      return db.deleteFrom('sso_connections').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    },

    /** First writer wins, so two concurrent first uses agree on one key. */
    setSpKeysIfMissing: (id: string, sealedKey: string, cert: string) =>
      db.updateTable('sso_connections').set({ sp_signing_key: sealedKey, sp_signing_cert: cert }).where('id', '=', id).where('sp_signing_key', 'is', null).execute(),

    /** SAML connections whose metadata comes from a URL (the refresh job). */
    listMetadataUrlConnections: () =>
      db.selectFrom('sso_connections').selectAll().where('protocol', '=', 'saml').where('metadata_url', 'is not', null).orderBy('id').execute(),

    insertSsoSession: (row: SsoSessionRow) => db.insertInto('sso_sessions').values(row).execute(),

    findSsoSession: (sessionId: string) => db.selectFrom('sso_sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst(),

    /** The live sessions of one IdP subject on one connection (IdP-initiated logout). */
    findSsoSessionsOf: (connectionId: string, nameId: string, now: string) =>
      db.selectFrom('sso_sessions').selectAll().where('connection_id', '=', connectionId).where('name_id', '=', nameId).where('expires_at', '>', now).execute(),

    deleteSsoSession: (sessionId: string) => db.deleteFrom('sso_sessions').where('session_id', '=', sessionId).execute(),

    /** Account deletion: the records hold the IdP's NameID (often the email address). */
    deleteSsoSessionsOfAccount: (accountId: string) => db.deleteFrom('sso_sessions').where('account_id', '=', accountId).execute(),

    deleteOrg: async (orgId: string) => {
      await db.deleteFrom('sso_connections').where('org_id', '=', orgId).execute();
      await db.deleteFrom('sso_org_settings').where('org_id', '=', orgId).execute();
      await db.deleteFrom('sso_requests').where('org_id', '=', orgId).execute();
      await db.deleteFrom('sso_sessions').where('org_id', '=', orgId).execute();
    },

    findSettings: (orgId: string) => db.selectFrom('sso_org_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst(),

    upsertSettings: (row: SsoOrgSettingsRow) =>
      db
        .insertInto('sso_org_settings')
        .values(row)
        .onConflict((oc) => oc.column('org_id').doUpdateSet({ enforced: row.enforced, enforced_at: row.enforced_at, enforced_by: row.enforced_by, updated_at: row.updated_at }))
        .execute(),

    insertRequest: (row: SsoRequestRow) => db.insertInto('sso_requests').values(row).execute(),

    findRequest: (id: string, now: string) =>
      db.selectFrom('sso_requests').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst(),

    /** One use only: true when this call removed it. */
    takeRequest: async (id: string) => Number((await db.deleteFrom('sso_requests').where('id', '=', id).executeTakeFirst()).numDeletedRows) === 1,

    /** False when the assertion id was already seen (a replay). */
    rememberAssertion: async (id: string, expiresAt: string): Promise<boolean> => {
      try {
        await db.insertInto('sso_replay').values({ id, expires_at: expiresAt }).execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    deleteExpired: async (now: string) => {
      await db.deleteFrom('sso_requests').where('expires_at', '<=', now).execute();
      await db.deleteFrom('sso_replay').where('expires_at', '<=', now).execute();
      await db.deleteFrom('sso_sessions').where('expires_at', '<=', now).execute();
    },
  };
}

export type SsoRepository = ReturnType<typeof createSsoRepository>;
