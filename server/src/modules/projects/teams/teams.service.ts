import { AppError, badRequest, forbidden, notFound } from '../../../kernel/errors';
import { isUniqueViolation } from '../../../kernel/dialect';
import type { OrgTeam } from '../../identity';
import { isClassicAccount } from '../classic/classic.db';
import { createClassicRepository } from '../classic/classic.repository';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';
import type { SpaceTeamRow } from './teams.db';
import { createTeamsRepository } from './teams.repository';
import { adoptIdentityTeams, type AdoptedTeams } from './teams.sync';

/**
 * Teams of a project space (Backlog `/teams`, W5.2). In an organization's space they ARE the org's
 * teams in identity: created, edited and deleted through identity with identity's rules (admins and
 * members manage teams, guests see only their own) and identity's audit entries. In a classic space
 * they are the space's own teams of its users, managed by its Administrators (roleType 1).
 */
export interface TeamView {
  readonly id: number;
  readonly name: string;
  readonly memberUserIds: readonly number[];
  readonly createdUserId: number | null;
  readonly created: string;
  readonly updatedUserId: number | null;
  readonly updated: string;
}

export interface TeamInput {
  name: string;
  members?: readonly number[] | undefined;
}

export const teamNotFound = () => notFound('team.not_found', 'No team.');
const duplicateName = () => badRequest('team.name_taken', 'A team with this name already exists.');

export const isClassicSpace = async (caller: Caller) => (await createClassicRepository(caller.db).findSpace(caller.orgId)) !== undefined;

/** An identity team as this space presents it; creator and last editor through `/api/v2` are numbered users. */
export function identityTeamView(team: OrgTeam, adopted: AdoptedTeams): TeamView | null {
  const row = adopted.rows.get(team.id);
  if (!row) return null;
  const createdUserId = (team.createdBy ? adopted.userIds.get(team.createdBy) : undefined) ?? row.created_user_id;
  return {
    id: row.id,
    name: team.name,
    memberUserIds: team.memberIds.flatMap((accountId) => adopted.userIds.get(accountId) ?? []),
    createdUserId,
    created: team.createdAt,
    updatedUserId: row.updated_user_id ?? createdUserId,
    updated: team.updatedAt,
  };
}

/** Classic teams, with their members in one query. */
export async function localTeamViews(caller: Caller, rows: readonly SpaceTeamRow[]): Promise<TeamView[]> {
  const members = await createTeamsRepository(caller.db).listMembers(caller.orgId, rows.map((row) => row.id));
  return rows.map((row) => ({
    id: row.id,
    name: row.name ?? '',
    memberUserIds: members.filter((m) => m.team_id === row.id).map((m) => m.user_id),
    createdUserId: row.created_user_id,
    created: row.created_at,
    updatedUserId: row.updated_user_id,
    updated: row.updated_at,
  }));
}

/** A classic guest (or an org guest) sees only the teams they are in, as identity's rule for org teams. */
const visibleTo = (caller: Caller) => (view: TeamView) => !caller.isGuest || view.memberUserIds.includes(caller.userId);

async function allTeams(deps: ProjectsDeps, caller: Caller): Promise<TeamView[]> {
  if (await isClassicSpace(caller)) return (await localTeamViews(caller, await createTeamsRepository(caller.db).listLocal(caller.orgId))).filter(visibleTo(caller));
  const teams = await deps.identity.memberTeams.list(caller.access);
  const adopted = await adoptIdentityTeams(deps, caller.db, caller.orgId, teams);
  return teams.flatMap((team) => identityTeamView(team, adopted) ?? []);
}

export async function listTeams(deps: ProjectsDeps, caller: Caller, page: { order: 'asc' | 'desc'; offset: number; count: number }): Promise<TeamView[]> {
  const direction = page.order === 'asc' ? 1 : -1;
  const sorted = (await allTeams(deps, caller)).sort((a, b) => direction * (a.created.localeCompare(b.created) || a.id - b.id));
  return sorted.slice(page.offset, page.offset + page.count);
}

interface Located {
  readonly row: SpaceTeamRow;
  readonly view: TeamView;
  /** The identity team behind it, or null for a classic team. */
  readonly identityTeamId: string | null;
}

/** A team of this space visible to the caller; anything else (another org's id too) is a 404 (W7.7). */
async function locate(deps: ProjectsDeps, caller: Caller, teamId: number): Promise<Located> {
  const repo = createTeamsRepository(caller.db);
  const row = await repo.findById(caller.orgId, teamId);
  if (!row) throw teamNotFound();
  const classic = await isClassicSpace(caller);
  if (row.identity_team_id === null) {
    const [view] = await localTeamViews(caller, [row]);
    if (!classic || !view || !visibleTo(caller)(view)) throw teamNotFound();
    return { row, view, identityTeamId: null };
  }
  if (classic) throw teamNotFound();
  const identityTeamId = row.identity_team_id;
  let team: OrgTeam;
  try {
    team = await deps.identity.memberTeams.get(caller.access, identityTeamId);
  } catch (error) {
    // Deleted in identity meanwhile (not merely hidden from a guest): the number goes with it.
    if (error instanceof AppError && error.status === 404 && !(await deps.identity.teams.get(caller.orgId, identityTeamId))) await repo.delete(caller.orgId, row.id);
    throw error instanceof AppError && error.status === 404 ? teamNotFound() : error;
  }
  const view = identityTeamView(team, await adoptIdentityTeams(deps, caller.db, caller.orgId, [team]));
  if (!view) throw teamNotFound();
  return { row, view, identityTeamId };
}

export const getTeam = async (deps: ProjectsDeps, caller: Caller, teamId: number) => (await locate(deps, caller, teamId)).view;

/** Members as the space numbers them: active users of this space; in an org's space, its accounts only. */
async function memberAccounts(deps: ProjectsDeps, caller: Caller, userIds: readonly number[], classic: boolean): Promise<{ userIds: number[]; accountIds: string[] }> {
  const users = await loadSpaceUsers(deps, caller);
  const unique = [...new Set(userIds)];
  const strangers = unique.filter((id) => {
    const user = users.get(id);
    return !user?.active || (!classic && isClassicAccount(user.accountId));
  });
  if (strangers.length > 0) throw badRequest('team.user_not_found', `No such user in this space: ${strangers.join(', ')}.`);
  return { userIds: unique, accountIds: unique.map((id) => users.get(id)?.accountId ?? '') };
}

function requireClassicAdmin(caller: Caller): void {
  if (caller.roleType !== 1) throw forbidden('Only administrators can manage the teams of the space.', 'project.forbidden');
}

export async function createTeam(deps: ProjectsDeps, caller: Caller, input: TeamInput): Promise<TeamView> {
  const repo = createTeamsRepository(caller.db);
  const now = deps.kernel.clock.now().toISOString();
  if (await isClassicSpace(caller)) {
    requireClassicAdmin(caller);
    const members = await memberAccounts(deps, caller, input.members ?? [], true);
    let row: SpaceTeamRow;
    try {
      row = await caller.db.transaction().execute(async (trx) => {
        const tx = createTeamsRepository(trx);
        const inserted = await tx.insertLocal({ org_id: caller.orgId, name: input.name, created_user_id: caller.userId, created_at: now });
        await tx.replaceMembers(caller.orgId, inserted.id, members.userIds);
        return inserted;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName();
      throw error;
    }
    await auditClassicTeam(deps, caller, 'projects.classic_team_created', row.id, { name: input.name, memberUserIds: members.userIds });
    return getTeam(deps, caller, row.id);
  }
  const members = await memberAccounts(deps, caller, input.members ?? [], false);
  const team = await deps.identity.memberTeams.create(caller.access, { name: input.name, memberIds: members.accountIds }, caller.meta);
  const adopted = await adoptIdentityTeams(deps, caller.db, caller.orgId, [team]);
  const row = adopted.rows.get(team.id);
  if (row) await repo.update(caller.orgId, row.id, { created_user_id: caller.userId, updated_user_id: caller.userId });
  return getTeam(deps, caller, row?.id ?? -1);
}

export async function updateTeam(deps: ProjectsDeps, caller: Caller, teamId: number, input: Partial<TeamInput>): Promise<TeamView> {
  const located = await locate(deps, caller, teamId);
  const repo = createTeamsRepository(caller.db);
  const now = deps.kernel.clock.now().toISOString();
  if (located.identityTeamId === null) {
    requireClassicAdmin(caller);
    const members = input.members ? await memberAccounts(deps, caller, input.members, true) : null;
    try {
      await caller.db.transaction().execute(async (trx) => {
        const tx = createTeamsRepository(trx);
        await tx.update(caller.orgId, teamId, { ...(input.name !== undefined ? { name: input.name } : {}), updated_user_id: caller.userId, updated_at: now });
        if (members) await tx.replaceMembers(caller.orgId, teamId, members.userIds);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName();
      throw error;
    }
    await auditClassicTeam(deps, caller, 'projects.classic_team_updated', teamId, {
      name: input.name,
      memberUserIds: members?.userIds,
      previousMemberUserIds: located.view.memberUserIds,
    });
    return getTeam(deps, caller, teamId);
  }
  const members = input.members ? await memberAccounts(deps, caller, input.members, false) : null;
  const team = await deps.identity.memberTeams.update(caller.access, located.identityTeamId, { name: input.name, memberIds: members?.accountIds }, caller.meta);
  await adoptIdentityTeams(deps, caller.db, caller.orgId, [team]);
  await repo.update(caller.orgId, teamId, { updated_user_id: caller.userId, updated_at: now });
  return getTeam(deps, caller, teamId);
}

/** Deletes the team (and with it its place in projects); answers the team as it was. */
export async function deleteTeam(deps: ProjectsDeps, caller: Caller, teamId: number): Promise<TeamView> {
  const located = await locate(deps, caller, teamId);
  if (located.identityTeamId === null) requireClassicAdmin(caller);
  else await deps.identity.memberTeams.delete(caller.access, located.identityTeamId, caller.meta);
  await createTeamsRepository(caller.db).delete(caller.orgId, teamId);
  if (located.identityTeamId === null) await auditClassicTeam(deps, caller, 'projects.classic_team_deleted', teamId, { name: located.view.name });
  return located.view;
}

/** Classic teams are the space's own: audited here (identity audits the org's teams). */
async function auditClassicTeam(deps: ProjectsDeps, caller: Caller, action: string, teamId: number, details: Record<string, unknown>) {
  const account = caller.access.account;
  await deps.kernel.audit.record({
    orgId: caller.orgId,
    product: 'projects',
    action,
    outcome: 'success',
    actor: { type: 'account', id: account.id, name: account.name, email: account.email },
    target: { type: 'classic_team', id: String(teamId) },
    ip: caller.meta.ip,
    userAgent: caller.meta.userAgent,
    requestId: caller.meta.requestId,
    details,
  });
}
