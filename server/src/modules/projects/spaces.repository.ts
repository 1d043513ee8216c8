import type { Kysely } from 'kysely';
import type { ProjectsDb } from './projects.db';

/** Every SQL statement for the space and its numbered users (org-scoped, W7.7). */
export function createSpacesRepository(db: Kysely<ProjectsDb>) {
  return {
    findSpace: (orgId: string) => db.selectFrom('spaces').selectAll().where('org_id', '=', orgId).executeTakeFirst(),

    insertSpace: (row: { org_id: string; space_key: string; region: string; created_at: string }) =>
      db
        .insertInto('spaces')
        .values({ ...row, updated_at: row.created_at, purged_at: null })
        .onConflict((oc) => oc.column('org_id').doNothing())
        .execute(),

    findUserByAccount: (orgId: string, accountId: string) =>
      db.selectFrom('space_users').selectAll().where('org_id', '=', orgId).where('account_id', '=', accountId).executeTakeFirst(),

    /** Concurrent first requests of one account race here; the loser's insert is a no-op. */
    insertUser: (orgId: string, accountId: string, at: string) =>
      db
        .insertInto('space_users')
        .values({ org_id: orgId, account_id: accountId, created_at: at })
        .onConflict((oc) => oc.columns(['org_id', 'account_id']).doNothing())
        .execute(),

    listUsers: (orgId: string) => db.selectFrom('space_users').selectAll().where('org_id', '=', orgId).execute(),

    findUserById: (orgId: string, id: number) =>
      db.selectFrom('space_users').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),
  };
}

export type SpacesRepository = ReturnType<typeof createSpacesRepository>;
