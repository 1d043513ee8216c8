import type { Kysely, Updateable } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { SpaceTeamRow, SpaceTeamTable } from './teams.db';

/** Every SQL statement for a space's teams, their members and the projects they are added to (org-scoped, W7.7). */
export function createTeamsRepository(db: Kysely<ProjectsDb>) {
  const repo = {
    findById: (orgId: string, id: number) => db.selectFrom('space_teams').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    listByIds: (orgId: string, ids: readonly number[]) =>
      ids.length === 0 ? Promise.resolve([] as SpaceTeamRow[]) : db.selectFrom('space_teams').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute(),

    /** A classic space's own teams. */
    listLocal: (orgId: string) => db.selectFrom('space_teams').selectAll().where('org_id', '=', orgId).where('identity_team_id', 'is', null).orderBy('id').execute(),

    listByIdentityIds: (orgId: string, identityTeamIds: readonly string[]) =>
      identityTeamIds.length === 0
        ? Promise.resolve([] as SpaceTeamRow[])
        : db.selectFrom('space_teams').selectAll().where('org_id', '=', orgId).where('identity_team_id', 'in', identityTeamIds).execute(),

    /** Numbers identity teams on first sight; concurrent first sights race here and the loser's insert is a no-op. */
    ensureIdentityTeams: async (orgId: string, identityTeamIds: readonly string[], at: string): Promise<SpaceTeamRow[]> => {
      const known = await repo.listByIdentityIds(orgId, identityTeamIds);
      const missing = identityTeamIds.filter((id) => !known.some((row) => row.identity_team_id === id));
      if (missing.length === 0) return known;
      await db
        .insertInto('space_teams')
        .values(missing.map((identityTeamId) => ({ org_id: orgId, identity_team_id: identityTeamId, name: null, created_user_id: null, created_at: at, updated_user_id: null, updated_at: at })))
        .onConflict((oc) => oc.columns(['org_id', 'identity_team_id']).doNothing())
        .execute();
      return repo.listByIdentityIds(orgId, identityTeamIds);
    },

    insertLocal: (row: { org_id: string; name: string; created_user_id: number; created_at: string }) =>
      db
        .insertInto('space_teams')
        .values({ ...row, identity_team_id: null, updated_user_id: row.created_user_id, updated_at: row.created_at })
        .returningAll()
        .executeTakeFirstOrThrow(),

    update: (orgId: string, id: number, changes: Updateable<SpaceTeamTable>) => db.updateTable('space_teams').set(changes).where('org_id', '=', orgId).where('id', '=', id).execute(),

    /** Members and project links go with the team (cascade). */
    delete: (orgId: string, id: number) => db.deleteFrom('space_teams').where('org_id', '=', orgId).where('id', '=', id).execute(),

    deleteByIdentityId: (orgId: string, identityTeamId: string) =>
      db.deleteFrom('space_teams').where('org_id', '=', orgId).where('identity_team_id', '=', identityTeamId).execute(),

    /** Members of many teams in one query (no N+1). */
    listMembers: (orgId: string, teamIds: readonly number[]) =>
      teamIds.length === 0
        ? Promise.resolve([] as { team_id: number; user_id: number }[])
        : db.selectFrom('space_team_members').select(['team_id', 'user_id']).where('org_id', '=', orgId).where('team_id', 'in', teamIds).orderBy('user_id').execute(),

    replaceMembers: async (orgId: string, teamId: number, userIds: readonly number[]) => {
      await db.deleteFrom('space_team_members').where('org_id', '=', orgId).where('team_id', '=', teamId).execute();
      // A concurrent writer of the same team may have inserted first: its rows are as good as ours.
      if (userIds.length > 0) {
        await db
          .insertInto('space_team_members')
          .values(userIds.map((userId) => ({ org_id: orgId, team_id: teamId, user_id: userId })))
          .onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing())
          .execute();
      }
    },

    addMember: (orgId: string, teamId: number, userId: number) =>
      db
        .insertInto('space_team_members')
        .values({ org_id: orgId, team_id: teamId, user_id: userId })
        .onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing())
        .execute(),

    removeMember: (orgId: string, teamId: number, userId: number) =>
      db.deleteFrom('space_team_members').where('org_id', '=', orgId).where('team_id', '=', teamId).where('user_id', '=', userId).execute(),

    /** The identity teams a space user is in, as mirrored here. */
    listIdentityMembershipsOf: (orgId: string, userId: number) =>
      db
        .selectFrom('space_team_members')
        .innerJoin('space_teams', 'space_teams.id', 'space_team_members.team_id')
        .select(['space_teams.id', 'space_teams.identity_team_id'])
        .where('space_team_members.org_id', '=', orgId)
        .where('space_team_members.user_id', '=', userId)
        .where('space_teams.identity_team_id', 'is not', null)
        .execute(),

    listProjectTeams: (orgId: string, projectId: number) =>
      db.selectFrom('project_teams').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).orderBy('created_at').orderBy('team_id').execute(),

    findProjectTeam: (orgId: string, projectId: number, teamId: number) =>
      db.selectFrom('project_teams').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).where('team_id', '=', teamId).executeTakeFirst(),

    addProjectTeam: (row: { org_id: string; project_id: number; team_id: number; created_at: string }) =>
      db.insertInto('project_teams').values(row).onConflict((oc) => oc.columns(['project_id', 'team_id']).doNothing()).execute(),

    removeProjectTeam: (orgId: string, projectId: number, teamId: number) =>
      db.deleteFrom('project_teams').where('org_id', '=', orgId).where('project_id', '=', projectId).where('team_id', '=', teamId).execute(),
  };
  return repo;
}

export type TeamsRepository = ReturnType<typeof createTeamsRepository>;
