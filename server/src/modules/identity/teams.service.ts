import { newId } from '../../kernel/crypto';
import { isUniqueViolation } from '../../kernel/dialect';
import { assertThat, badRequest, conflict, notFound } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { TeamRow } from './identity.db';
import { audit, emitEvent, type IdentityDeps } from './identity.deps';
import { can, requireAbility, type OrgAccess } from './identity.policy';
import { identityRepositories } from './identity.repositories';

/** W5.1: admins and members group accounts into teams; guests see only the teams they are in. */
export interface TeamWithMembers extends TeamRow {
  members: { accountId: string; name: string | null }[];
}

/** Other modules keep copies keyed by team (projects numbers teams and mirrors their members): tell them. */
export const TEAM_CHANGED_EVENT = 'identity.team.changed';
export const emitTeamChanged = (deps: IdentityDeps, orgId: string, teamId: string) => emitEvent(deps, TEAM_CHANGED_EVENT, orgId, { teamId });

const teamNotFound = () => notFound('team.not_found', 'Team not found.');
const nameTaken = () => conflict('team.name_taken', 'A team with this name already exists.');

async function withMembers(deps: IdentityDeps, teams: TeamRow[]): Promise<TeamWithMembers[]> {
  const rows = await identityRepositories(deps.db).teams.listMembers(teams.map((t) => t.id));
  return teams.map((team) => ({
    ...team,
    members: rows.filter((r) => r.team_id === team.id).map((r) => ({ accountId: r.account_id, name: r.name })),
  }));
}

export async function listTeams(deps: IdentityDeps, access: OrgAccess) {
  const onlyMine = can(access, 'team:list-all') ? undefined : access.account.id;
  return withMembers(deps, await identityRepositories(deps.db).teams.listInOrg(access.org.id, onlyMine));
}

export async function getTeam(deps: IdentityDeps, access: OrgAccess, teamId: string) {
  const team = await identityRepositories(deps.db).teams.findInOrg(access.org.id, teamId);
  assertThat(team, teamNotFound);
  const [withList] = await withMembers(deps, [team]);
  assertThat(withList, teamNotFound);
  // A guest outside the team learns nothing, not even that it exists.
  if (!can(access, 'team:list-all')) {
    assertThat(withList.members.some((m) => m.accountId === access.account.id), teamNotFound);
  }
  return withList;
}

/** Only accounts that are members of this org can be put in its teams. */
async function assertOrgMembers(deps: IdentityDeps, orgId: string, accountIds: readonly string[]) {
  const members = new Set((await identityRepositories(deps.db).orgs.listMembers(orgId)).map((m) => m.account_id));
  const strangers = accountIds.filter((id) => !members.has(id));
  assertThat(strangers.length === 0, () => badRequest('team.not_org_members', 'Some accounts are not members of this organization.', { accountIds: strangers }));
}

export async function createTeam(deps: IdentityDeps, access: OrgAccess, input: { name: string; description?: string | undefined; memberIds?: string[] | undefined }, meta: RequestMeta) {
  requireAbility(access, 'team:create');
  const memberIds = [...new Set(input.memberIds ?? [])];
  await assertOrgMembers(deps, access.org.id, memberIds);
  const now = deps.kernel.clock.now().toISOString();
  const team: TeamRow = {
    id: newId(),
    org_id: access.org.id,
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    created_by: access.account.id,
    created_at: now,
    updated_at: now,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      const tx = identityRepositories(trx);
      await tx.teams.insert(team);
      await tx.teams.replaceMembers(access.org.id, team.id, memberIds, now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
  emitTeamChanged(deps, access.org.id, team.id);
  await audit(deps, meta, { action: 'team.created', outcome: 'success', actor: access.account, orgId: access.org.id, target: { type: 'team', id: team.id }, details: { name: team.name, memberIds } });
  return getTeam(deps, access, team.id);
}

export async function updateTeam(
  deps: IdentityDeps,
  access: OrgAccess,
  teamId: string,
  input: { name?: string | undefined; description?: string | undefined; memberIds?: string[] | undefined },
  meta: RequestMeta,
) {
  requireAbility(access, 'team:manage');
  const before = await getTeam(deps, access, teamId);
  const memberIds = input.memberIds ? [...new Set(input.memberIds)] : undefined;
  if (memberIds) await assertOrgMembers(deps, access.org.id, memberIds);
  const now = deps.kernel.clock.now().toISOString();
  try {
    await deps.db.transaction().execute(async (trx) => {
      const tx = identityRepositories(trx);
      await tx.teams.update(access.org.id, teamId, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.description !== undefined ? { description: input.description.trim() } : {}),
        updated_at: now,
      });
      if (memberIds) await tx.teams.replaceMembers(access.org.id, teamId, memberIds, now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
  emitTeamChanged(deps, access.org.id, teamId);
  await audit(deps, meta, {
    action: 'team.updated',
    outcome: 'success',
    actor: access.account,
    orgId: access.org.id,
    target: { type: 'team', id: teamId },
    details: { name: input.name, memberIds, previousMemberIds: before.members.map((m) => m.accountId) },
  });
  return getTeam(deps, access, teamId);
}

export async function deleteTeam(deps: IdentityDeps, access: OrgAccess, teamId: string, meta: RequestMeta) {
  requireAbility(access, 'team:manage');
  const team = await getTeam(deps, access, teamId);
  await identityRepositories(deps.db).teams.delete(access.org.id, team.id);
  emitTeamChanged(deps, access.org.id, team.id);
  await audit(deps, meta, { action: 'team.deleted', outcome: 'success', actor: access.account, orgId: access.org.id, target: { type: 'team', id: team.id }, details: { name: team.name } });
}
