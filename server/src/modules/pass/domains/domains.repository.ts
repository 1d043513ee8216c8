import type { Kysely, Updateable } from 'kysely';
import type { DomainsDb, VerifiedDomainRow } from './domains.db';

/** Every SQL statement of verified domains. Org-scoped lookups take the org id first (W7.7). */
export function createDomainRepository(db: Kysely<DomainsDb>) {
  return {
    listOfOrg: (orgId: string) => db.selectFrom('verified_domains').selectAll().where('org_id', '=', orgId).orderBy('domain').execute(),

    find: (orgId: string, id: string) =>
      db.selectFrom('verified_domains').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    findOfOrgByName: (orgId: string, domain: string) =>
      db.selectFrom('verified_domains').selectAll().where('org_id', '=', orgId).where('domain', '=', domain).executeTakeFirst(),

    /** The org (if any) that holds `domain` verified. */
    findVerified: (domain: string) =>
      db.selectFrom('verified_domains').selectAll().where('domain', '=', domain).where('verified_at', 'is not', null).executeTakeFirst(),

    insert: (row: VerifiedDomainRow) => db.insertInto('verified_domains').values(row).execute(),

    update: (id: string, changes: Updateable<VerifiedDomainRow>) => db.updateTable('verified_domains').set(changes).where('id', '=', id).execute(),

    delete: (orgId: string, id: string) => db.deleteFrom('verified_domains').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    deleteOfOrg: (orgId: string) => db.deleteFrom('verified_domains').where('org_id', '=', orgId).executeTakeFirst(),
  };
}

export type DomainRepository = ReturnType<typeof createDomainRepository>;
