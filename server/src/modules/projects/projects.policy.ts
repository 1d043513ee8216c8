import { forbidden, notFound } from '../../kernel/errors';
import type { ProjectMemberRow } from './projects.db';
import type { Caller, RoleType } from './spaces.service';

/**
 * Who may do what in a project (issue 3 §1, anchors §1.1), for an organization's space:
 * - org admins (roleType 1) see and manage every project;
 * - members and guests (roleType 2) see only the projects they belong to; outside them a project
 *   does not exist for them (404, W7.7);
 * - project administrators (never guests) manage the project's settings and members;
 * - every project member may add and edit issues and comments and manage categories and versions.
 */
export type ProjectAction =
  | 'project:create'
  | 'project:update'
  | 'project:delete'
  | 'project:manage_members'
  | 'project:manage_issue_types'
  | 'project:manage_statuses'
  | 'project:manage_categories'
  | 'project:manage_versions'
  | 'issue:create'
  | 'issue:update'
  | 'issue:delete'
  | 'comment:create'
  | 'wiki:write'
  | 'document:write'
  | 'shared_file:write';

export interface ProjectStanding {
  readonly caller: Caller;
  /** The caller's membership in the project, if any. */
  readonly member: ProjectMemberRow | undefined;
}

export const canSeeProject = (standing: ProjectStanding) => standing.caller.roleType === 1 || standing.member !== undefined;

/** Only unrestricted members (roleType 2, never guests) act as project administrators. */
const isProjectAdmin = (s: ProjectStanding) => s.member?.is_admin === 1 && !s.caller.isGuest && s.caller.roleType === 2;

const MEMBER_ACTIONS: readonly ProjectAction[] = [
  'project:manage_categories',
  'project:manage_versions',
  'issue:create',
  'issue:update',
  'issue:delete',
  'comment:create',
  'wiki:write',
  'document:write',
  // Upload, create directories, delete in the project's shared files (shared-files/).
  'shared_file:write',
];
const PROJECT_ADMIN_ACTIONS: readonly ProjectAction[] = [...MEMBER_ACTIONS, 'project:update', 'project:manage_members', 'project:manage_issue_types', 'project:manage_statuses'];

/**
 * The one table of what each roleType may do inside a project it belongs to (anchors §1.1), as a
 * plain member and as a project administrator. Org admins (1) may do everything everywhere; creating
 * and deleting projects is theirs alone. "Add issues only" (3) adds issues and comments, like the
 * classic Reporter; "view only" (4) reads, like the classic Viewer.
 */
export const ROLE_PERMISSIONS: Record<Exclude<RoleType, 1>, { readonly member: readonly ProjectAction[]; readonly projectAdmin: readonly ProjectAction[] }> = {
  2: { member: MEMBER_ACTIONS, projectAdmin: PROJECT_ADMIN_ACTIONS },
  3: { member: ['issue:create', 'comment:create'], projectAdmin: ['issue:create', 'comment:create'] },
  4: { member: [], projectAdmin: [] },
};

/**
 * Classic spaces (ClassicRoleType, W7.2/W7.3, anchors §1.1): each classic role acts with the grants
 * of a NormalRoleType row above, so one table decides. Administrator = roleType 1 (projects, users,
 * space); Normal User = 2 (issues, status, wiki, categories, milestones; project admin when appointed;
 * no project creation); Reporter = 3 (adds issues and comments, no status change; edits only their
 * own comments); Viewer = 4 (reads). The guests (5, 6) are Reporter and Viewer who see only their
 * projects, never the space's user list, and have no personal settings (no API keys).
 */
export const CLASSIC_ROLE_GRANTS: Record<1 | 2 | 3 | 4 | 5 | 6, { readonly roleType: RoleType; readonly isGuest: boolean }> = {
  1: { roleType: 1, isGuest: false },
  2: { roleType: 2, isGuest: false },
  3: { roleType: 3, isGuest: false },
  4: { roleType: 4, isGuest: false },
  5: { roleType: 3, isGuest: true },
  6: { roleType: 4, isGuest: true },
};

export function projectAllows(standing: ProjectStanding, action: ProjectAction): boolean {
  const roleType = standing.caller.roleType;
  if (roleType === 1) return true;
  if (!standing.member) return false;
  const grants = ROLE_PERMISSIONS[roleType];
  return (isProjectAdmin(standing) ? grants.projectAdmin : grants.member).includes(action);
}

export const projectNotFound = () => notFound('project.not_found', 'No project.');

/** 404 when the project is invisible to the caller, 403 when visible but the action is not theirs. */
export function requireProject(standing: ProjectStanding, action?: ProjectAction): void {
  if (!canSeeProject(standing)) throw projectNotFound();
  if (action && !projectAllows(standing, action)) throw forbidden('You do not have permission to do this in this project.', 'project.forbidden');
}

/**
 * Appointing project administrators: org admins always; project admins only when the project
 * allows them to manage each other (`projectLeaderCanEditProjectLeader`, anchors §1.1).
 */
export function requireAdminManagement(standing: ProjectStanding, project: { project_leader_can_edit_project_leader: number }): void {
  requireProject(standing);
  if (standing.caller.roleType === 1) return;
  if (isProjectAdmin(standing) && project.project_leader_can_edit_project_leader === 1) return;
  throw forbidden('Only administrators can appoint project administrators here.', 'project.forbidden');
}

export function requireSpaceAdmin(caller: Caller): void {
  if (caller.roleType !== 1) throw forbidden('Only administrators can do this.', 'project.forbidden');
}
