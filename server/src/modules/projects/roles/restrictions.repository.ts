import type { Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { SpaceRestriction } from './roles.db';

/** Every SQL statement for space restrictions (org-scoped, W7.7). */
export function createRestrictionsRepository(db: Kysely<ProjectsDb>) {
  return {
    find: async (orgId: string, accountId: string): Promise<SpaceRestriction | null> =>
      (await db.selectFrom('space_restrictions').select('restriction').where('org_id', '=', orgId).where('account_id', '=', accountId).executeTakeFirst())?.restriction ?? null,

    list: (orgId: string) => db.selectFrom('space_restrictions').select(['account_id', 'restriction']).where('org_id', '=', orgId).orderBy('account_id').execute(),

    set: async (orgId: string, accountId: string, restriction: SpaceRestriction | null, at: string) => {
      await db.deleteFrom('space_restrictions').where('org_id', '=', orgId).where('account_id', '=', accountId).execute();
      if (restriction) await db.insertInto('space_restrictions').values({ org_id: orgId, account_id: accountId, restriction, updated_at: at }).execute();
    },
  };
}
