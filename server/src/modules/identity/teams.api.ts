import { newId } from '../../kernel/crypto';
import { isUniqueViolation } from '../../kernel/dialect';
import { assertThat, badRequest, conflict, notFound } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { TeamRow } from './identity.db';
import type { IdentityDeps } from './identity.deps';
import type { OrgAccess } from './identity.policy';
import { identityRepositories } from './identity.repositories';
import { createTeam, deleteTeam, emitTeamChanged, getTeam, listTeams, updateTeam, type TeamWithMembers } from './teams.service';

/** A team as provisioning (SCIM Groups) sees it. The caller audits; these checks are the team rules. */
export interface OrgTeam {
  id: string;
  orgId: string;
  name: string;
  memberIds: string[];
  /** The account that created the team; null when provisioning (SCIM, SSO) did. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TeamsApi {
  list(orgId: string): Promise<OrgTeam[]>;
  get(orgId: string, teamId: string): Promise<OrgTeam | null>;
  /** 409 `team.name_taken`; 400 `team.not_org_members` when an id is not a member of the org. */
  create(orgId: string, input: { name: string; memberIds: readonly string[] }): Promise<OrgTeam>;
  update(orgId: string, teamId: string, input: { name?: string; memberIds?: readonly string[] }): Promise<OrgTeam>;
  delete(orgId: string, teamId: string): Promise<void>;
  /** The ids of the teams an account is in, read fresh from the source of truth (one indexed query). */
  teamIdsOfAccount(orgId: string, accountId: string): Promise<string[]>;
}

/**
 * Teams as a member acts on them from another surface (the Backlog API's `/teams`): the same rules
 * and audit entries as `/api/v1/orgs/:orgId/teams` (admins and members manage teams, guests see only
 * their own), because these are the same functions.
 */
export interface MemberTeamsApi {
  list(access: OrgAccess): Promise<OrgTeam[]>;
  /** 404 `team.not_found` for a team of another org or one a guest is not in (W7.7). */
  get(access: OrgAccess, teamId: string): Promise<OrgTeam>;
  create(access: OrgAccess, input: { name: string; memberIds: readonly string[] }, meta: RequestMeta): Promise<OrgTeam>;
  update(access: OrgAccess, teamId: string, input: { name?: string | undefined; memberIds?: readonly string[] | undefined }, meta: RequestMeta): Promise<OrgTeam>;
  delete(access: OrgAccess, teamId: string, meta: RequestMeta): Promise<void>;
}

const asOrgTeam = (team: TeamWithMembers): OrgTeam => ({
  id: team.id,
  orgId: team.org_id,
  name: team.name,
  memberIds: team.members.map((m) => m.accountId),
  createdBy: team.created_by,
  createdAt: team.created_at,
  updatedAt: team.updated_at,
});

export function memberTeamsApi(deps: IdentityDeps): MemberTeamsApi {
  return {
    list: async (access) => (await listTeams(deps, access)).map(asOrgTeam),
    get: async (access, teamId) => asOrgTeam(await getTeam(deps, access, teamId)),
    create: async (access, input, meta) => asOrgTeam(await createTeam(deps, access, { name: input.name, memberIds: [...input.memberIds] }, meta)),
    update: async (access, teamId, input, meta) =>
      asOrgTeam(await updateTeam(deps, access, teamId, { name: input.name, memberIds: input.memberIds ? [...input.memberIds] : undefined }, meta)),
    delete: (access, teamId, meta) => deleteTeam(deps, access, teamId, meta),
  };
}

const teamNotFound = () => notFound('team.not_found', 'Team not found.');
const nameTaken = () => conflict('team.name_taken', 'A team with this name already exists.');

export function teamsApi(deps: IdentityDeps): TeamsApi {
  const repos = () => identityRepositories(deps.db);
  async function load(orgId: string, teams: Pick<TeamRow, 'id' | 'org_id' | 'name' | 'created_by' | 'created_at' | 'updated_at'>[]): Promise<OrgTeam[]> {
    const members = await repos().teams.listMembers(teams.map((t) => t.id));
    return teams.map((t) => ({
      id: t.id,
      orgId,
      name: t.name,
      memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.account_id),
      createdBy: t.created_by,
      createdAt: t.created_at,
      updatedAt: t.updated_at,
    }));
  }
  async function assertOrgMembers(orgId: string, ids: readonly string[]) {
    const members = new Set((await repos().orgs.listMembers(orgId)).map((m) => m.account_id));
    const strangers = ids.filter((id) => !members.has(id));
    assertThat(strangers.length === 0, () => badRequest('team.not_org_members', 'Some accounts are not members of this organization.', { accountIds: strangers }));
  }
  async function write(action: () => Promise<void>) {
    try {
      await action();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken();
      throw error;
    }
  }
  const api: TeamsApi = {
    list: async (orgId) => load(orgId, await repos().teams.listInOrg(orgId)),
    async get(orgId, teamId) {
      const team = await repos().teams.findInOrg(orgId, teamId);
      return team ? ((await load(orgId, [team]))[0] ?? null) : null;
    },
    async create(orgId, input) {
      const memberIds = [...new Set(input.memberIds)];
      await assertOrgMembers(orgId, memberIds);
      const now = deps.kernel.clock.now().toISOString();
      const id = newId();
      await write(() =>
        deps.db.transaction().execute(async (trx) => {
          const tx = identityRepositories(trx);
          await tx.teams.insert({ id, org_id: orgId, name: input.name.trim(), description: '', created_by: null, created_at: now, updated_at: now });
          await tx.teams.replaceMembers(orgId, id, memberIds, now);
        }),
      );
      emitTeamChanged(deps, orgId, id);
      const team = await api.get(orgId, id);
      assertThat(team, teamNotFound);
      return team;
    },
    async update(orgId, teamId, input) {
      assertThat(await repos().teams.findInOrg(orgId, teamId), teamNotFound);
      const memberIds = input.memberIds ? [...new Set(input.memberIds)] : undefined;
      if (memberIds) await assertOrgMembers(orgId, memberIds);
      const now = deps.kernel.clock.now().toISOString();
      await write(() =>
        deps.db.transaction().execute(async (trx) => {
          const tx = identityRepositories(trx);
          await tx.teams.update(orgId, teamId, { ...(input.name !== undefined ? { name: input.name.trim() } : {}), updated_at: now });
          if (memberIds) await tx.teams.replaceMembers(orgId, teamId, memberIds, now);
        }),
      );
      emitTeamChanged(deps, orgId, teamId);
      const team = await api.get(orgId, teamId);
      assertThat(team, teamNotFound);
      return team;
    },
    async delete(orgId, teamId) {
      assertThat(await repos().teams.findInOrg(orgId, teamId), teamNotFound);
      await repos().teams.delete(orgId, teamId);
      emitTeamChanged(deps, orgId, teamId);
    },
    teamIdsOfAccount: (orgId, accountId) => repos().teams.teamIdsOfAccount(orgId, accountId),
  };
  return api;
}
