import type { Kysely, Updateable } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { ClassicUserTable } from './classic.db';

/** Every SQL statement for classic spaces and their space-local users (org-scoped, W7.7). */
export function createClassicRepository(db: Kysely<ProjectsDb>) {
  return {
    /** The classic space (and its org) behind a space key, for the space's own sign-in. */
    findBySpaceKey: (spaceKey: string) =>
      db
        .selectFrom('spaces')
        .innerJoin('classic_spaces', 'classic_spaces.org_id', 'spaces.org_id')
        .select(['spaces.org_id', 'spaces.space_key'])
        .where('spaces.space_key', '=', spaceKey)
        .executeTakeFirst(),

    findUserByLogin: (orgId: string, loginId: string) =>
      db.selectFrom('classic_users').selectAll().where('org_id', '=', orgId).where('login_id', '=', loginId).executeTakeFirst(),

    findSpace: (orgId: string) => db.selectFrom('classic_spaces').selectAll().where('org_id', '=', orgId).executeTakeFirst(),

    upsertSpace: async (orgId: string, userLimit: number, at: string) => {
      await db
        .insertInto('classic_spaces')
        .values({ org_id: orgId, user_limit: userLimit, enabled_at: at })
        .onConflict((oc) => oc.column('org_id').doUpdateSet({ user_limit: userLimit }))
        .execute();
    },

    listUsers: (orgId: string) => db.selectFrom('classic_users').selectAll().where('org_id', '=', orgId).orderBy('space_user_id').execute(),

    countUsers: async (orgId: string) => Number((await db.selectFrom('classic_users').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirst())?.n ?? 0),

    findUser: (orgId: string, spaceUserId: number) =>
      db.selectFrom('classic_users').selectAll().where('org_id', '=', orgId).where('space_user_id', '=', spaceUserId).executeTakeFirst(),

    insertSpaceUser: (orgId: string, accountId: string, at: string) =>
      db.insertInto('space_users').values({ org_id: orgId, account_id: accountId, created_at: at }).returning('id').executeTakeFirstOrThrow(),

    insertUser: (row: ClassicUserTable) => db.insertInto('classic_users').values(row).execute(),

    updateUser: (orgId: string, spaceUserId: number, changes: Updateable<ClassicUserTable>) =>
      db.updateTable('classic_users').set(changes).where('org_id', '=', orgId).where('space_user_id', '=', spaceUserId).execute(),

    /** The space-user number stays (authored content keeps pointing at it); the classic row goes. */
    deleteUser: (orgId: string, spaceUserId: number) => db.deleteFrom('classic_users').where('org_id', '=', orgId).where('space_user_id', '=', spaceUserId).execute(),
  };
}
