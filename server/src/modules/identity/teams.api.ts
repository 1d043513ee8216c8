import { newId } from '../../kernel/crypto';
import { isUniqueViolation } from '../../kernel/dialect';
import { assertThat, badRequest, conflict, notFound } from '../../kernel/errors';
import type { IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';

/** A team as provisioning (SCIM Groups) sees it. The caller audits; these checks are the team rules. */
export interface OrgTeam {
  id: string;
  orgId: string;
  name: string;
  memberIds: string[];
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
}

const teamNotFound = () => notFound('team.not_found', 'Team not found.');
const nameTaken = () => conflict('team.name_taken', 'A team with this name already exists.');

export function teamsApi(deps: IdentityDeps): TeamsApi {
  const repos = () => identityRepositories(deps.db);
  async function load(orgId: string, teams: { id: string; org_id: string; name: string; created_at: string; updated_at: string }[]): Promise<OrgTeam[]> {
    const members = await repos().teams.listMembers(teams.map((t) => t.id));
    return teams.map((t) => ({
      id: t.id,
      orgId,
      name: t.name,
      memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.account_id),
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
      const team = await api.get(orgId, teamId);
      assertThat(team, teamNotFound);
      return team;
    },
    async delete(orgId, teamId) {
      assertThat(await repos().teams.findInOrg(orgId, teamId), teamNotFound);
      await repos().teams.delete(orgId, teamId);
    },
  };
  return api;
}
