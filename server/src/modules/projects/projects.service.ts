import { badRequest, conflict } from '../../kernel/errors';
import { isUniqueViolation } from '../../kernel/dialect';
import type { ProjectRow } from './projects.db';
import { requireAdminManagement, requireProject, requireSpaceAdmin, projectNotFound, type ProjectStanding } from './projects.policy';
import { auditProject } from './projects.audit';
import { createProjectsRepository } from './projects.repository';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from './spaces.service';
import { createSpacesRepository } from './spaces.repository';
import { refreshProjectTeams } from './teams/index';

/** The defaults every new project starts with, as in Backlog. */
export const DEFAULT_ISSUE_TYPES = [
  { name: 'Task', color: '#7ea800' },
  { name: 'Bug', color: '#990000' },
  { name: 'Request', color: '#ff9200' },
  { name: 'Other', color: '#2779ca' },
] as const;
export const DEFAULT_STATUSES = [
  { statusId: 1, name: 'Open', color: '#ed8077' },
  { statusId: 2, name: 'In Progress', color: '#4488c5' },
  { statusId: 3, name: 'Resolved', color: '#5eb5a6' },
  { statusId: 4, name: 'Closed', color: '#b0be3c' },
] as const;

/** Issue 15 §5: what Backlog gives a project created in Japanese (same colours, same status ids). */
export const DEFAULT_ISSUE_TYPES_JA = [
  { name: 'バグ', color: '#990000' },
  { name: 'タスク', color: '#7ea800' },
  { name: '要望', color: '#ff9200' },
  { name: 'その他', color: '#2779ca' },
] as const;
export const DEFAULT_STATUSES_JA = [
  { statusId: 1, name: '未対応', color: '#ed8077' },
  { statusId: 2, name: '処理中', color: '#4488c5' },
  { statusId: 3, name: '処理済み', color: '#5eb5a6' },
  { statusId: 4, name: '完了', color: '#b0be3c' },
] as const;

/** The creating account's language decides (a classic space user's is the org's). */
const defaultsFor = (locale: string) =>
  locale === 'ja' ? { issueTypes: DEFAULT_ISSUE_TYPES_JA, statuses: DEFAULT_STATUSES_JA } : { issueTypes: DEFAULT_ISSUE_TYPES, statuses: DEFAULT_STATUSES };

/** Backlog keys: an upper-case letter, then upper-case letters, digits or `_`. */
export const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,24}$/;

export interface ProjectScope extends ProjectStanding {
  readonly project: ProjectRow;
}

/** `idOrKey` as Backlog accepts it: a numeric id or a project key. Invisible = missing (W7.7). */
export async function findProjectScope(caller: Caller, idOrKey: string): Promise<ProjectScope> {
  const repo = createProjectsRepository(caller.db);
  const project = /^\d+$/.test(idOrKey) ? await repo.findById(caller.orgId, Number(idOrKey)) : await repo.findByKey(caller.orgId, idOrKey);
  if (!project) throw projectNotFound();
  const member = await repo.findMember(caller.orgId, project.id, caller.userId);
  const scope = { caller, project, member };
  requireProject(scope);
  return scope;
}

export async function listProjects(caller: Caller, filter: { archived?: boolean | undefined; all?: boolean | undefined }) {
  // Backlog: `all` lists every project, for administrators only; everyone else sees their own.
  const everything = caller.roleType === 1 && filter.all === true;
  return createProjectsRepository(caller.db).list(caller.orgId, {
    ...(everything ? {} : { memberUserId: caller.userId }),
    ...(filter.archived !== undefined ? { archived: filter.archived } : {}),
  });
}

export interface ProjectInput {
  name?: string | undefined;
  key?: string | undefined;
  chartEnabled?: boolean | undefined;
  subtaskingEnabled?: boolean | undefined;
  projectLeaderCanEditProjectLeader?: boolean | undefined;
  useWiki?: boolean | undefined;
  useFileSharing?: boolean | undefined;
  textFormattingRule?: 'markdown' | 'backlog' | undefined;
  archived?: boolean | undefined;
}

const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? 1 : 0);

function checkKey(key: string): string {
  if (!PROJECT_KEY.test(key)) throw badRequest('project.invalid_key', 'The project key must start with an upper-case letter and use only A-Z, 0-9 and _ (2-25 characters).');
  return key;
}

const duplicateKey = () => conflict('project.duplicate_key', 'A project with this key already exists.');

/** Creates a project with Backlog's default issue types and statuses (in the creator's language); its creator joins as project admin. */
export async function createProject(deps: ProjectsDeps, caller: Caller, input: ProjectInput & { name: string; key: string }): Promise<ProjectRow> {
  requireSpaceAdmin(caller);
  const key = checkKey(input.key);
  const now = deps.kernel.clock.now().toISOString();
  let project: ProjectRow;
  try {
    project = await caller.db.transaction().execute(async (trx) => {
      const repo = createProjectsRepository(trx);
      const project = await repo.insert({
        org_id: caller.orgId,
        project_key: key,
        name: input.name.trim(),
        chart_enabled: flag(input.chartEnabled) ?? 0,
        use_resolved_for_chart: 0,
        subtasking_enabled: flag(input.subtaskingEnabled) ?? 0,
        project_leader_can_edit_project_leader: flag(input.projectLeaderCanEditProjectLeader) ?? 0,
        use_wiki: flag(input.useWiki) ?? 1,
        use_file_sharing: flag(input.useFileSharing) ?? 1,
        text_formatting_rule: input.textFormattingRule ?? 'markdown',
        archived: 0,
        display_order: 2147483646,
        last_key_id: 0,
        created_at: now,
        updated_at: now,
      });
      const defaults = defaultsFor(caller.access.account.locale);
      for (const [i, type] of defaults.issueTypes.entries()) {
        await repo.insertIssueType({ org_id: caller.orgId, project_id: project.id, name: type.name, color: type.color, display_order: i });
      }
      for (const [i, status] of defaults.statuses.entries()) {
        await repo.insertStatus({ org_id: caller.orgId, project_id: project.id, status_id: status.statusId, name: status.name, color: status.color, display_order: 1000 * (i + 1) });
      }
      await repo.insertMember({ org_id: caller.orgId, project_id: project.id, user_id: caller.userId, is_admin: 1, created_at: now });
      return project;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateKey();
    throw error;
  }
  await auditProject(deps, caller, 'created', project);
  return project;
}

export async function updateProject(deps: ProjectsDeps, scope: ProjectScope, input: ProjectInput): Promise<ProjectRow> {
  requireProject(scope, 'project:update');
  const changes = {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.key !== undefined ? { project_key: checkKey(input.key) } : {}),
    ...(input.chartEnabled !== undefined ? { chart_enabled: flag(input.chartEnabled) } : {}),
    ...(input.subtaskingEnabled !== undefined ? { subtasking_enabled: flag(input.subtaskingEnabled) } : {}),
    ...(input.projectLeaderCanEditProjectLeader !== undefined ? { project_leader_can_edit_project_leader: flag(input.projectLeaderCanEditProjectLeader) } : {}),
    ...(input.useWiki !== undefined ? { use_wiki: flag(input.useWiki) } : {}),
    ...(input.useFileSharing !== undefined ? { use_file_sharing: flag(input.useFileSharing) } : {}),
    ...(input.textFormattingRule !== undefined ? { text_formatting_rule: input.textFormattingRule } : {}),
    ...(input.archived !== undefined ? { archived: flag(input.archived) } : {}),
  };
  const repo = createProjectsRepository(scope.caller.db);
  try {
    await repo.update(scope.caller.orgId, scope.project.id, { ...changes, updated_at: deps.kernel.clock.now().toISOString() });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateKey();
    throw error;
  }
  const updated = await repo.findById(scope.caller.orgId, scope.project.id);
  if (!updated) throw projectNotFound();
  return updated;
}

/** Deletes the project and, by cascade, its issues, comments and settings. Returns the row as it was. */
export async function deleteProject(deps: ProjectsDeps, scope: ProjectScope): Promise<ProjectRow> {
  requireProject(scope, 'project:delete');
  await createProjectsRepository(scope.caller.db).delete(scope.caller.orgId, scope.project.id);
  await auditProject(deps, scope.caller, 'deleted', scope.project);
  return scope.project;
}

/** W5.2: team members are listed too, unless `excludeGroupMembers` (Backlog's parameter) asks for direct members only. */
export async function listProjectUsers(deps: ProjectsDeps, scope: ProjectScope, onlyAdmins = false, excludeGroupMembers = false) {
  const users = await loadSpaceUsers(deps, scope.caller);
  if (!excludeGroupMembers && !onlyAdmins) await refreshProjectTeams(deps, scope.caller, scope.project.id);
  const members = await createProjectsRepository(scope.caller.db).listMembers(scope.caller.orgId, scope.project.id, { directOnly: excludeGroupMembers || onlyAdmins });
  return members.filter((m) => !onlyAdmins || m.is_admin === 1).flatMap((m) => users.get(m.user_id) ?? []);
}

/** Adds an org member (by numeric space-user id) to the project; users of other orgs do not resolve. */
export async function addProjectUser(deps: ProjectsDeps, scope: ProjectScope, userId: number) {
  requireProject(scope, 'project:manage_members');
  const users = await loadSpaceUsers(deps, scope.caller);
  const user = users.get(userId);
  if (!user?.active) throw badRequest('project.user_not_found', 'No such user in this space.');
  const repo = createProjectsRepository(scope.caller.db);
  if (await repo.findDirectMember(scope.caller.orgId, scope.project.id, userId)) throw badRequest('project.already_member', 'The user is already a member of the project.');
  await repo.insertMember({ org_id: scope.caller.orgId, project_id: scope.project.id, user_id: userId, is_admin: 0, created_at: deps.kernel.clock.now().toISOString() });
  await auditProject(deps, scope.caller, 'member_added', scope.project, { accountId: user.accountId });
  return user;
}

export async function removeProjectUser(deps: ProjectsDeps, scope: ProjectScope, userId: number) {
  requireProject(scope, 'project:manage_members');
  const repo = createProjectsRepository(scope.caller.db);
  const member = await repo.findDirectMember(scope.caller.orgId, scope.project.id, userId);
  if (!member) throw badRequest('project.not_member', 'The user is not a member of the project.');
  const user = (await loadSpaceUsers(deps, scope.caller)).get(userId);
  await repo.deleteMember(scope.caller.orgId, scope.project.id, userId);
  if (!user) throw badRequest('project.not_member', 'The user is not a member of the project.');
  await auditProject(deps, scope.caller, 'member_removed', scope.project, { accountId: user.accountId });
  return user;
}

/** Project administrators are project members who are not guests (anchors §1.1). */
export async function setProjectAdmin(deps: ProjectsDeps, scope: ProjectScope, userId: number, isAdmin: boolean) {
  requireAdminManagement(scope, scope.project);
  const repo = createProjectsRepository(scope.caller.db);
  const member = await repo.findDirectMember(scope.caller.orgId, scope.project.id, userId);
  const user = (await loadSpaceUsers(deps, scope.caller)).get(userId);
  if (!member || !user?.active) throw badRequest('project.not_member', 'The user is not a member of the project.');
  if (isAdmin) {
    const role = (await deps.identity.listOrgMembers(scope.caller.orgId)).find((m) => m.accountId === user.accountId)?.role;
    if (role === 'guest') throw badRequest('project.guest_admin', 'Guests cannot be project administrators.');
    if (member.is_admin === 1) throw badRequest('project.already_admin', 'The user is already a project administrator.');
  } else if (member.is_admin !== 1) throw badRequest('project.not_admin', 'The user is not a project administrator.');
  await repo.setAdmin(scope.caller.orgId, scope.project.id, userId, isAdmin);
  await auditProject(deps, scope.caller, isAdmin ? 'admin_granted' : 'admin_revoked', scope.project, { accountId: user.accountId });
  return user;
}

/** The space user row of a numeric id in this org, or undefined (ids of other orgs never resolve). */
export const findSpaceUser = (caller: Caller, userId: number) => createSpacesRepository(caller.db).findUserById(caller.orgId, userId);
