import { randomInt } from 'node:crypto';
import { badRequest, notFound } from '../../kernel/errors';
import type { StatusRow } from './projects.db';
import { requireProject } from './projects.policy';
import { createProjectsRepository } from './projects.repository';
import type { ProjectScope } from './projects.service';
import { createIssuesRepository } from './issues.repository';

/**
 * Custom statuses, ordered (issue 3 §1). The four defaults keep ids 1–4 and cannot be deleted;
 * Backlog allows at most 12 statuses in a project and a fixed palette of colours.
 */
export const STATUS_COLORS = ['#ea2c00', '#e87758', '#e07b9a', '#868cb7', '#3b9dbd', '#4caf93', '#b0be3c', '#eda62a', '#f42858', '#393939'] as const;
export const MAX_STATUSES = 12;
const DEFAULT_STATUS_IDS = new Set([1, 2, 3, 4]);

const repoOf = (scope: ProjectScope) => createProjectsRepository(scope.caller.db);
const list = (scope: ProjectScope) => repoOf(scope).listStatuses(scope.caller.orgId, scope.project.id);

function checkColor(color: string) {
  if (!(STATUS_COLORS as readonly string[]).includes(color)) throw badRequest('status.invalid_color', `The color must be one of ${STATUS_COLORS.join(', ')}.`);
}

async function findStatus(scope: ProjectScope, statusId: number): Promise<StatusRow> {
  const status = (await list(scope)).find((s) => s.status_id === statusId);
  if (!status) throw notFound('status.not_found', 'No status.');
  return status;
}

export async function addStatus(scope: ProjectScope, input: { name: string; color: string }): Promise<StatusRow> {
  requireProject(scope, 'project:manage_statuses');
  checkColor(input.color);
  const existing = await list(scope);
  if (existing.length >= MAX_STATUSES) throw badRequest('status.too_many', `A project can have at most ${MAX_STATUSES} statuses.`);
  if (existing.some((s) => s.name === input.name.trim())) throw badRequest('status.duplicate', 'A status with this name already exists.');
  const order = existing.reduce((max, s) => Math.max(max, s.display_order), 0) + 1000;
  const { orgId } = scope.caller;
  return scope.caller.db.transaction().execute(async (trx) => {
    const repo = createProjectsRepository(trx);
    // The row id is known only after the insert: a negative placeholder keeps (project, status_id) unique until then.
    const row = await repo.insertStatus({ org_id: orgId, project_id: scope.project.id, status_id: -randomInt(1, 2 ** 31 - 1), name: input.name.trim(), color: input.color, display_order: order });
    await repo.adoptRowIdAsStatusId(orgId, row.id);
    return { ...row, status_id: row.id };
  });
}

export async function updateStatus(scope: ProjectScope, statusId: number, input: { name?: string | undefined; color?: string | undefined }): Promise<StatusRow> {
  requireProject(scope, 'project:manage_statuses');
  await findStatus(scope, statusId);
  if (input.color !== undefined) checkColor(input.color);
  const name = input.name?.trim();
  if (name !== undefined && (await list(scope)).some((s) => s.name === name && s.status_id !== statusId)) {
    throw badRequest('status.duplicate', 'A status with this name already exists.');
  }
  await repoOf(scope).updateStatus(scope.caller.orgId, scope.project.id, statusId, {
    ...(name !== undefined ? { name } : {}),
    ...(input.color !== undefined ? { color: input.color } : {}),
  });
  return findStatus(scope, statusId);
}

/** Issues in the deleted status move to `substituteStatusId`, in the same transaction. */
export async function deleteStatus(scope: ProjectScope, statusId: number, substituteStatusId: number): Promise<StatusRow> {
  requireProject(scope, 'project:manage_statuses');
  const status = await findStatus(scope, statusId);
  if (DEFAULT_STATUS_IDS.has(statusId)) throw badRequest('status.default', 'The default statuses cannot be deleted.');
  if (substituteStatusId === statusId) throw badRequest('status.invalid_substitute', 'The substitute must be another status.');
  await findStatus(scope, substituteStatusId).catch(() => {
    throw badRequest('status.invalid_substitute', 'No such substitute status in this project.');
  });
  const { orgId } = scope.caller;
  await scope.caller.db.transaction().execute(async (trx) => {
    await createIssuesRepository(trx).reassignStatus(orgId, scope.project.id, statusId, substituteStatusId);
    await createProjectsRepository(trx).deleteStatus(orgId, scope.project.id, statusId);
  });
  return status;
}

/** `statusId[]` must name every status of the project exactly once, in the new order. */
export async function reorderStatuses(scope: ProjectScope, statusIds: readonly number[]): Promise<StatusRow[]> {
  requireProject(scope, 'project:manage_statuses');
  const current = await list(scope);
  const wanted = new Set(statusIds);
  if (wanted.size !== statusIds.length || wanted.size !== current.length || current.some((s) => !wanted.has(s.status_id))) {
    throw badRequest('status.invalid_order', 'Send every status of the project exactly once.');
  }
  const { orgId } = scope.caller;
  await scope.caller.db.transaction().execute(async (trx) => {
    const repo = createProjectsRepository(trx);
    for (const [i, id] of statusIds.entries()) await repo.updateStatus(orgId, scope.project.id, id, { display_order: 1000 * (i + 1) });
  });
  return list(scope);
}
