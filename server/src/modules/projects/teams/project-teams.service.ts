import { badRequest } from '../../../kernel/errors';
import { auditProject } from '../projects.audit';
import { requireProject } from '../projects.policy';
import type { ProjectScope } from '../projects.service';
import { recordActivity } from '../social/index';
import type { Caller, ProjectsDeps } from '../spaces.service';
import type { SpaceTeamRow } from './teams.db';
import { createTeamsRepository } from './teams.repository';
import { identityTeamView, isClassicSpace, localTeamViews, type TeamView } from './teams.service';
import { adoptIdentityTeams } from './teams.sync';

/**
 * Teams as project members (W5.2): every member of a team added to a project acts in it as a plain
 * project member (the membership resolution in `projects.repository.ts` reads `project_teams`), for as
 * long as the team stays added and they stay in the team. Adding and removing teams is managing the
 * project's members: project administrators and admins.
 */

/**
 * The teams behind rows, in the rows' order. Project members see every team of their project, so
 * identity teams are read without identity's guest filter; teams deleted in identity drop out.
 */
async function viewsOf(deps: ProjectsDeps, caller: Caller, rows: readonly SpaceTeamRow[]): Promise<Map<number, TeamView>> {
  const views = new Map((await localTeamViews(caller, rows.filter((row) => row.identity_team_id === null))).map((view) => [view.id, view]));
  const identityIds = new Set(rows.flatMap((row) => (row.identity_team_id === null ? [] : [row.identity_team_id])));
  if (identityIds.size === 0) return views;
  const teams = (await deps.identity.teams.list(caller.orgId)).filter((team) => identityIds.has(team.id));
  const adopted = await adoptIdentityTeams(deps, caller.db, caller.orgId, teams);
  for (const team of teams) {
    const view = identityTeamView(team, adopted);
    if (view) views.set(view.id, view);
  }
  const repo = createTeamsRepository(caller.db);
  for (const row of rows) if (row.identity_team_id !== null && !views.has(row.id)) await repo.delete(caller.orgId, row.id);
  return views;
}

/** Re-mirrors the identity teams added to a project, so that its member list is exact (`GET /projects/:p/users`). */
export async function refreshProjectTeams(deps: ProjectsDeps, caller: Caller, projectId: number): Promise<void> {
  const repo = createTeamsRepository(caller.db);
  const links = await repo.listProjectTeams(caller.orgId, projectId);
  if (links.length > 0) await viewsOf(deps, caller, await repo.listByIds(caller.orgId, links.map((link) => link.team_id)));
}

export async function listProjectTeams(deps: ProjectsDeps, scope: ProjectScope): Promise<TeamView[]> {
  requireProject(scope);
  const repo = createTeamsRepository(scope.caller.db);
  const links = await repo.listProjectTeams(scope.caller.orgId, scope.project.id);
  const views = await viewsOf(deps, scope.caller, await repo.listByIds(scope.caller.orgId, links.map((link) => link.team_id)));
  return links.flatMap((link) => views.get(link.team_id) ?? []);
}

/** Backlog's ActivityType 25 ProjectGroupAdded and 26 ProjectGroupDeleted, content `{ parties: TeamSnapshot[] }`. */
const TEAM_ACTIVITY = { added: 25, removed: 26 } as const;
const teamActivity = (deps: ProjectsDeps, caller: Caller, projectId: number, type: number, team: TeamView) =>
  recordActivity(deps, caller, { projectId, type, content: { parties: [{ id: team.id, name: team.name }] } });

const noSuchTeam = () => badRequest('project.team_not_found', 'No such team in this space.');

/** A team of this space's kind (classic teams in a classic space, the org's teams otherwise); other ids are missing. */
async function spaceTeam(deps: ProjectsDeps, caller: Caller, teamId: number): Promise<TeamView> {
  const row = await createTeamsRepository(caller.db).findById(caller.orgId, teamId);
  if (!row || (row.identity_team_id === null) !== (await isClassicSpace(caller))) throw noSuchTeam();
  const view = (await viewsOf(deps, caller, [row])).get(row.id);
  if (!view) throw noSuchTeam();
  return view;
}

export async function addProjectTeam(deps: ProjectsDeps, scope: ProjectScope, teamId: number): Promise<TeamView> {
  requireProject(scope, 'project:manage_members');
  const { caller, project } = scope;
  const team = await spaceTeam(deps, caller, teamId);
  const repo = createTeamsRepository(caller.db);
  if (await repo.findProjectTeam(caller.orgId, project.id, teamId)) throw badRequest('project.team_already_added', 'The team is already a member of the project.');
  await repo.addProjectTeam({ org_id: caller.orgId, project_id: project.id, team_id: teamId, created_at: deps.kernel.clock.now().toISOString() });
  await auditProject(deps, caller, 'team_added', project, { teamId, teamName: team.name, memberUserIds: team.memberUserIds });
  await teamActivity(deps, caller, project.id, TEAM_ACTIVITY.added, team);
  return team;
}

/** Members who are only in the team lose the project at once; direct members keep it. */
export async function removeProjectTeam(deps: ProjectsDeps, scope: ProjectScope, teamId: number): Promise<TeamView> {
  requireProject(scope, 'project:manage_members');
  const { caller, project } = scope;
  const repo = createTeamsRepository(caller.db);
  const row = (await repo.findProjectTeam(caller.orgId, project.id, teamId)) ? await repo.findById(caller.orgId, teamId) : undefined;
  if (!row) throw badRequest('project.team_not_added', 'The team is not a member of the project.');
  // Whatever its kind: an org team added before the space went classic can still be taken out.
  const team = (await viewsOf(deps, caller, [row])).get(teamId) ?? { id: teamId, name: row.name ?? '', memberUserIds: [], createdUserId: row.created_user_id, created: row.created_at, updatedUserId: row.updated_user_id, updated: row.updated_at };
  await repo.removeProjectTeam(caller.orgId, project.id, teamId);
  await auditProject(deps, caller, 'team_removed', project, { teamId, teamName: team.name });
  await teamActivity(deps, caller, project.id, TEAM_ACTIVITY.removed, team);
  return team;
}
