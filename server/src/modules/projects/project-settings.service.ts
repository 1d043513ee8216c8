import { badRequest, notFound } from '../../kernel/errors';
import type { VersionRow } from './projects.db';
import { requireProject } from './projects.policy';
import { createIssuesRepository } from './issues.repository';
import { createProjectsRepository } from './projects.repository';
import type { ProjectScope } from './projects.service';

/** Issue types, statuses, categories and versions/milestones of one project. */
export const ISSUE_TYPE_COLORS = ['#e30000', '#990000', '#934981', '#814fbc', '#2779ca', '#007e9a', '#7ea800', '#ff9200', '#ff3265', '#666665'] as const;

const repoOf = (scope: ProjectScope) => createProjectsRepository(scope.caller.db);
const nextOrder = (rows: readonly { display_order: number }[]) => rows.reduce((max, r) => Math.max(max, r.display_order), -1) + 1;

export const listIssueTypes = (scope: ProjectScope) => repoOf(scope).listIssueTypes(scope.caller.orgId, scope.project.id);
export const listStatuses = (scope: ProjectScope) => repoOf(scope).listStatuses(scope.caller.orgId, scope.project.id);
export const listCategories = (scope: ProjectScope) => repoOf(scope).listCategories(scope.caller.orgId, scope.project.id);
export const listVersions = (scope: ProjectScope) => repoOf(scope).listVersions(scope.caller.orgId, scope.project.id);

export async function addIssueType(scope: ProjectScope, input: { name: string; color: string }) {
  requireProject(scope, 'project:manage_issue_types');
  if (!(ISSUE_TYPE_COLORS as readonly string[]).includes(input.color)) {
    throw badRequest('issue_type.invalid_color', `The color must be one of ${ISSUE_TYPE_COLORS.join(', ')}.`);
  }
  const existing = await listIssueTypes(scope);
  if (existing.some((t) => t.name === input.name.trim())) throw badRequest('issue_type.duplicate', 'An issue type with this name already exists.');
  return repoOf(scope).insertIssueType({ org_id: scope.caller.orgId, project_id: scope.project.id, name: input.name.trim(), color: input.color, display_order: nextOrder(existing) });
}

async function findIssueType(scope: ProjectScope, id: number) {
  const type = (await listIssueTypes(scope)).find((t) => t.id === id);
  if (!type) throw notFound('issue_type.not_found', 'No issue type.');
  return type;
}

export async function updateIssueType(scope: ProjectScope, id: number, input: { name?: string | undefined; color?: string | undefined }) {
  requireProject(scope, 'project:manage_issue_types');
  await findIssueType(scope, id);
  if (input.color !== undefined && !(ISSUE_TYPE_COLORS as readonly string[]).includes(input.color)) {
    throw badRequest('issue_type.invalid_color', `The color must be one of ${ISSUE_TYPE_COLORS.join(', ')}.`);
  }
  const name = input.name?.trim();
  if (name !== undefined && (await listIssueTypes(scope)).some((t) => t.name === name && t.id !== id)) throw badRequest('issue_type.duplicate', 'An issue type with this name already exists.');
  await repoOf(scope).updateIssueType(scope.caller.orgId, scope.project.id, id, { ...(name !== undefined ? { name } : {}), ...(input.color !== undefined ? { color: input.color } : {}) });
  return findIssueType(scope, id);
}

/** Issues of the deleted type move to `substituteIssueTypeId`; a project keeps at least one type. */
export async function deleteIssueType(scope: ProjectScope, id: number, substituteIssueTypeId: number) {
  requireProject(scope, 'project:manage_issue_types');
  const type = await findIssueType(scope, id);
  if (substituteIssueTypeId === id) throw badRequest('issue_type.invalid_substitute', 'The substitute must be another issue type.');
  await findIssueType(scope, substituteIssueTypeId).catch(() => {
    throw badRequest('issue_type.invalid_substitute', 'No such substitute issue type in this project.');
  });
  const { orgId } = scope.caller;
  await scope.caller.db.transaction().execute(async (trx) => {
    await createIssuesRepository(trx).reassignIssueType(orgId, scope.project.id, id, substituteIssueTypeId);
    await createProjectsRepository(trx).deleteIssueType(orgId, scope.project.id, id);
  });
  return type;
}

export async function addCategory(scope: ProjectScope, input: { name: string }) {
  requireProject(scope, 'project:manage_categories');
  const existing = await listCategories(scope);
  if (existing.some((c) => c.name === input.name.trim())) throw badRequest('category.duplicate', 'A category with this name already exists.');
  return repoOf(scope).insertCategory({ org_id: scope.caller.orgId, project_id: scope.project.id, name: input.name.trim(), display_order: nextOrder(existing) });
}

async function findCategory(scope: ProjectScope, id: number) {
  const category = (await listCategories(scope)).find((c) => c.id === id);
  if (!category) throw notFound('category.not_found', 'No category.');
  return category;
}

export async function updateCategory(scope: ProjectScope, id: number, input: { name: string }) {
  requireProject(scope, 'project:manage_categories');
  await findCategory(scope, id);
  const name = input.name.trim();
  if ((await listCategories(scope)).some((c) => c.name === name && c.id !== id)) throw badRequest('category.duplicate', 'A category with this name already exists.');
  await repoOf(scope).updateCategory(scope.caller.orgId, scope.project.id, id, name);
  return findCategory(scope, id);
}

/** Deleting a category also takes it off every issue. */
export async function deleteCategory(scope: ProjectScope, id: number) {
  requireProject(scope, 'project:manage_categories');
  const category = await findCategory(scope, id);
  await scope.caller.db.transaction().execute(async (trx) => {
    const repo = createProjectsRepository(trx);
    await repo.deleteLinksTo(scope.caller.orgId, ['category'], id);
    await repo.deleteCategory(scope.caller.orgId, scope.project.id, id);
  });
  return category;
}

export interface VersionInput {
  name?: string | undefined;
  description?: string | undefined;
  startDate?: string | undefined;
  releaseDueDate?: string | undefined;
  archived?: boolean | undefined;
}

function checkDates(input: VersionInput) {
  if (input.startDate && input.releaseDueDate && input.startDate > input.releaseDueDate) {
    throw badRequest('version.invalid_dates', 'The release due date must not be before the start date.');
  }
}

export async function addVersion(scope: ProjectScope, input: VersionInput & { name: string }) {
  requireProject(scope, 'project:manage_versions');
  checkDates(input);
  const existing = await listVersions(scope);
  if (existing.some((v) => v.name === input.name.trim())) throw badRequest('version.duplicate', 'A version with this name already exists.');
  return repoOf(scope).insertVersion({
    org_id: scope.caller.orgId,
    project_id: scope.project.id,
    name: input.name.trim(),
    description: input.description ?? null,
    start_date: input.startDate ?? null,
    release_due_date: input.releaseDueDate ?? null,
    archived: input.archived ? 1 : 0,
    display_order: nextOrder(existing),
  });
}

async function findVersion(scope: ProjectScope, id: number): Promise<VersionRow> {
  const version = (await listVersions(scope)).find((v) => v.id === id);
  if (!version) throw notFound('version.not_found', 'No version.');
  return version;
}

export async function updateVersion(scope: ProjectScope, id: number, input: VersionInput) {
  requireProject(scope, 'project:manage_versions');
  const version = await findVersion(scope, id);
  checkDates({ startDate: input.startDate ?? version.start_date ?? undefined, releaseDueDate: input.releaseDueDate ?? version.release_due_date ?? undefined });
  await repoOf(scope).updateVersion(scope.caller.orgId, scope.project.id, id, {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.startDate !== undefined ? { start_date: input.startDate || null } : {}),
    ...(input.releaseDueDate !== undefined ? { release_due_date: input.releaseDueDate || null } : {}),
    ...(input.archived !== undefined ? { archived: input.archived ? 1 : 0 } : {}),
  });
  return findVersion(scope, id);
}

/** Deleting a version also takes it off every issue (versions and milestones share ids). */
export async function deleteVersion(scope: ProjectScope, id: number) {
  requireProject(scope, 'project:manage_versions');
  const version = await findVersion(scope, id);
  await scope.caller.db.transaction().execute(async (trx) => {
    const repo = createProjectsRepository(trx);
    await repo.deleteLinksTo(scope.caller.orgId, ['version', 'milestone'], id);
    await repo.deleteVersion(scope.caller.orgId, scope.project.id, id);
  });
  return version;
}
