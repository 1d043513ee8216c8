import type { Kysely } from 'kysely';
import type { IssueTypeRow, ProjectMemberRow, ProjectRow, ProjectsDb, ProjectTable, StatusRow, VersionRow } from './projects.db';
import type { Insertable, Updateable } from 'kysely';

/** Every SQL statement for projects, their members and their settings. Every read filters by org (W7.7). */
export function createProjectsRepository(db: Kysely<ProjectsDb>) {
  const teamMembersQuery = (orgId: string, projectId: number) =>
    db
      .selectFrom('project_teams')
      .innerJoin('space_team_members', 'space_team_members.team_id', 'project_teams.team_id')
      .select(['space_team_members.user_id', 'project_teams.created_at'])
      .where('project_teams.org_id', '=', orgId)
      .where('project_teams.project_id', '=', projectId);
  return {
    findById: (orgId: string, id: number) =>
      db.selectFrom('projects').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    findByKey: (orgId: string, key: string) =>
      db.selectFrom('projects').selectAll().where('org_id', '=', orgId).where('project_key', '=', key).executeTakeFirst(),

    /** All projects of the org, or only those `userId` belongs to, directly or through a team (W5.2). */
    list: (orgId: string, filter: { memberUserId?: number; archived?: boolean }) => {
      let query = db.selectFrom('projects').selectAll('projects').where('projects.org_id', '=', orgId);
      if (filter.memberUserId !== undefined) {
        const userId = filter.memberUserId;
        query = query.where((eb) =>
          eb.or([
            eb.exists(
              eb
                .selectFrom('project_members')
                .select('project_members.project_id')
                .whereRef('project_members.project_id', '=', 'projects.id')
                .where('project_members.org_id', '=', orgId)
                .where('project_members.user_id', '=', userId),
            ),
            eb.exists(
              eb
                .selectFrom('project_teams')
                .innerJoin('space_team_members', 'space_team_members.team_id', 'project_teams.team_id')
                .select('project_teams.project_id')
                .whereRef('project_teams.project_id', '=', 'projects.id')
                .where('project_teams.org_id', '=', orgId)
                .where('space_team_members.user_id', '=', userId),
            ),
          ]),
        );
      }
      if (filter.archived !== undefined) query = query.where('projects.archived', '=', filter.archived ? 1 : 0);
      return query.orderBy('projects.display_order').orderBy('projects.id').execute();
    },

    insert: async (row: Insertable<ProjectTable>): Promise<ProjectRow> =>
      db.insertInto('projects').values(row).returningAll().executeTakeFirstOrThrow(),

    update: (orgId: string, id: number, changes: Updateable<ProjectTable>) =>
      db.updateTable('projects').set(changes).where('org_id', '=', orgId).where('id', '=', id).execute(),

    delete: (orgId: string, id: number) => db.deleteFrom('projects').where('org_id', '=', orgId).where('id', '=', id).execute(),

    /** The next `KEY-n` number; the row lock (PostgreSQL) or the write lock (SQLite) serialises callers. */
    nextKeyId: async (orgId: string, projectId: number): Promise<number> => {
      const row = await db
        .updateTable('projects')
        .set((eb) => ({ last_key_id: eb('last_key_id', '+', 1) }))
        .where('org_id', '=', orgId)
        .where('id', '=', projectId)
        .returning('last_key_id')
        .executeTakeFirstOrThrow();
      return Number(row.last_key_id);
    },

    /**
     * The project's members: direct ones, then (W5.2) the members of teams added to the project, who
     * act as plain members (never project admins) for as long as the team is added and they are in it.
     */
    listMembers: async (orgId: string, projectId: number, options: { directOnly?: boolean } = {}): Promise<ProjectMemberRow[]> => {
      const direct = await db
        .selectFrom('project_members')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('project_id', '=', projectId)
        .orderBy('created_at')
        .orderBy('user_id')
        .execute();
      if (options.directOnly) return direct;
      const members = [...direct];
      const known = new Set(direct.map((m) => m.user_id));
      for (const m of await teamMembersQuery(orgId, projectId).orderBy('project_teams.created_at').orderBy('space_team_members.user_id').execute()) {
        if (known.has(m.user_id)) continue;
        known.add(m.user_id);
        members.push({ org_id: orgId, project_id: projectId, user_id: m.user_id, is_admin: 0, created_at: m.created_at });
      }
      return members;
    },

    /** A direct member, or (W5.2) a member through a team added to the project, as a plain member. */
    findMember: async (orgId: string, projectId: number, userId: number): Promise<ProjectMemberRow | undefined> => {
      const direct = await db
        .selectFrom('project_members')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (direct) return direct;
      const viaTeam = await teamMembersQuery(orgId, projectId).where('space_team_members.user_id', '=', userId).executeTakeFirst();
      return viaTeam ? { org_id: orgId, project_id: projectId, user_id: userId, is_admin: 0, created_at: viaTeam.created_at } : undefined;
    },

    /** Only a direct membership: adding, removing and appointing concern those rows alone. */
    findDirectMember: (orgId: string, projectId: number, userId: number) =>
      db
        .selectFrom('project_members')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .executeTakeFirst(),

    insertMember: (row: { org_id: string; project_id: number; user_id: number; is_admin: number; created_at: string }) =>
      db.insertInto('project_members').values(row).onConflict((oc) => oc.columns(['project_id', 'user_id']).doNothing()).execute(),

    setAdmin: (orgId: string, projectId: number, userId: number, isAdmin: boolean) =>
      db
        .updateTable('project_members')
        .set({ is_admin: isAdmin ? 1 : 0 })
        .where('org_id', '=', orgId)
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .execute(),

    deleteMember: (orgId: string, projectId: number, userId: number) =>
      db.deleteFrom('project_members').where('org_id', '=', orgId).where('project_id', '=', projectId).where('user_id', '=', userId).execute(),

    listIssueTypes: (orgId: string, projectId: number) =>
      db.selectFrom('issue_types').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).orderBy('display_order').orderBy('id').execute(),

    insertIssueType: (row: Omit<IssueTypeRow, 'id'>) => db.insertInto('issue_types').values(row).returningAll().executeTakeFirstOrThrow(),

    updateIssueType: (orgId: string, projectId: number, id: number, changes: { name?: string; color?: string }) =>
      db.updateTable('issue_types').set(changes).where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).execute(),

    deleteIssueType: (orgId: string, projectId: number, id: number) =>
      db.deleteFrom('issue_types').where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).execute(),

    listStatuses: (orgId: string, projectId: number) =>
      db.selectFrom('statuses').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).orderBy('display_order').orderBy('status_id').execute(),

    insertStatus: (row: Omit<StatusRow, 'id'>) => db.insertInto('statuses').values(row).returningAll().executeTakeFirstOrThrow(),

    /** A custom status's wire id is its row id (always above the defaults' 1–4, which every project inserts first). */
    adoptRowIdAsStatusId: (orgId: string, rowId: number) =>
      db.updateTable('statuses').set((eb) => ({ status_id: eb.ref('id') })).where('org_id', '=', orgId).where('id', '=', rowId).execute(),

    updateStatus: (orgId: string, projectId: number, statusId: number, changes: { name?: string; color?: string; display_order?: number }) =>
      db.updateTable('statuses').set(changes).where('org_id', '=', orgId).where('project_id', '=', projectId).where('status_id', '=', statusId).execute(),

    deleteStatus: (orgId: string, projectId: number, statusId: number) =>
      db.deleteFrom('statuses').where('org_id', '=', orgId).where('project_id', '=', projectId).where('status_id', '=', statusId).execute(),

    listCategories: (orgId: string, projectId: number) =>
      db.selectFrom('categories').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).orderBy('display_order').orderBy('id').execute(),

    insertCategory: (row: { org_id: string; project_id: number; name: string; display_order: number }) =>
      db.insertInto('categories').values(row).returningAll().executeTakeFirstOrThrow(),

    updateCategory: (orgId: string, projectId: number, id: number, name: string) =>
      db.updateTable('categories').set({ name }).where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).execute(),

    deleteCategory: (orgId: string, projectId: number, id: number) =>
      db.deleteFrom('categories').where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).execute(),

    listVersions: (orgId: string, projectId: number) =>
      db.selectFrom('versions').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).orderBy('display_order').orderBy('id').execute(),

    insertVersion: (row: Omit<VersionRow, 'id'>) => db.insertInto('versions').values(row).returningAll().executeTakeFirstOrThrow(),

    updateVersion: (orgId: string, projectId: number, id: number, changes: Partial<Omit<VersionRow, 'id' | 'org_id' | 'project_id'>>) =>
      db.updateTable('versions').set(changes).where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).execute(),

    deleteVersion: (orgId: string, projectId: number, id: number) =>
      db.deleteFrom('versions').where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).execute(),

    /** Issues keep their number-only links; a deleted version or category leaves them. */
    deleteLinksTo: (orgId: string, kinds: readonly ('category' | 'version' | 'milestone')[], targetId: number) =>
      db.deleteFrom('issue_links').where('org_id', '=', orgId).where('kind', 'in', kinds).where('target_id', '=', targetId).execute(),
  };
}

export type ProjectsRepository = ReturnType<typeof createProjectsRepository>;
