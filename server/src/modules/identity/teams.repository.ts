import type { Kysely, Updateable } from 'kysely';
import type { IdentityDb, TeamRow } from './identity.db';

export function createTeamRepository(db: Kysely<IdentityDb>) {
  return {
    insert: (row: TeamRow) => db.insertInto('teams').values(row).execute(),

    /** Always scoped by org: a team id from another org never resolves (W7.7). */
    findInOrg: (orgId: string, teamId: string) =>
      db.selectFrom('teams').selectAll().where('org_id', '=', orgId).where('id', '=', teamId).executeTakeFirst(),

    findByName: (orgId: string, name: string) =>
      db.selectFrom('teams').select('id').where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst(),

    listInOrg: (orgId: string, onlyWithMember?: string) => {
      let query = db.selectFrom('teams').selectAll('teams').where('teams.org_id', '=', orgId).orderBy('teams.name');
      if (onlyWithMember) {
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('team_members')
              .select('team_members.team_id')
              .whereRef('team_members.team_id', '=', 'teams.id')
              .where('team_members.account_id', '=', onlyWithMember),
          ),
        );
      }
      return query.execute();
    },

    /** Members of many teams in one query (no N+1), with display names. */
    listMembers: (teamIds: readonly string[]) =>
      teamIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('team_members')
            .innerJoin('accounts', 'accounts.id', 'team_members.account_id')
            .select(['team_members.team_id', 'team_members.account_id', 'accounts.name'])
            .where('team_members.team_id', 'in', teamIds)
            .orderBy('accounts.name')
            .execute(),

    update: (orgId: string, teamId: string, changes: Updateable<TeamRow>) =>
      db.updateTable('teams').set(changes).where('org_id', '=', orgId).where('id', '=', teamId).execute(),

    delete: (orgId: string, teamId: string) => db.deleteFrom('teams').where('org_id', '=', orgId).where('id', '=', teamId).execute(),

    replaceMembers: async (orgId: string, teamId: string, accountIds: readonly string[], at: string) => {
      await db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
      if (accountIds.length > 0) {
        await db
          .insertInto('team_members')
          .values(accountIds.map((accountId) => ({ team_id: teamId, org_id: orgId, account_id: accountId, added_at: at })))
          .execute();
      }
    },

    /** The teams an account is in (index `team_members_org_account_idx`): checked on every Backlog API request. */
    teamIdsOfAccount: async (orgId: string, accountId: string) =>
      (await db.selectFrom('team_members').select('team_id').where('org_id', '=', orgId).where('account_id', '=', accountId).execute()).map((r) => r.team_id),

    removeMemberEverywhere: (orgId: string, accountId: string) =>
      db.deleteFrom('team_members').where('org_id', '=', orgId).where('account_id', '=', accountId).execute(),
  };
}

export type TeamRepository = ReturnType<typeof createTeamRepository>;
