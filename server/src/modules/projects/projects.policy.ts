import { forbidden, notFound } from '../../kernel/errors';
import type { ProjectMemberRow } from './projects.db';
import type { Caller } from './spaces.service';

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
  | 'document:write';

export interface ProjectStanding {
  readonly caller: Caller;
  /** The caller's membership in the project, if any. */
  readonly member: ProjectMemberRow | undefined;
}

export const canSeeProject = (standing: ProjectStanding) => standing.caller.roleType === 1 || standing.member !== undefined;

const isProjectAdmin = (s: ProjectStanding) => s.member?.is_admin === 1 && !s.caller.isGuest;

export function projectAllows(standing: ProjectStanding, action: ProjectAction): boolean {
  if (standing.caller.roleType === 1) return true;
  if (!standing.member) return false;
  switch (action) {
    case 'project:create':
    case 'project:delete':
      return false;
    case 'project:update':
    case 'project:manage_members':
    case 'project:manage_issue_types':
    case 'project:manage_statuses':
      return isProjectAdmin(standing);
    case 'project:manage_categories':
    case 'project:manage_versions':
    case 'issue:create':
    case 'issue:update':
    case 'issue:delete':
    case 'comment:create':
    case 'wiki:write':
    case 'document:write':
      return true;
  }
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
