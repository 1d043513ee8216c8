import { badRequest, notFound } from '../../../kernel/errors';
import { newId } from '../../../kernel/crypto';
import { auditProject } from '../projects.audit';
import { requireProject } from '../projects.policy';
import { createProjectsRepository } from '../projects.repository';
import { findProjectScope, type ProjectScope } from '../projects.service';
import type { Caller, ProjectsDeps } from '../spaces.service';
import type { DocumentRow } from './documents.db';
import { createDocumentsRepository, type DocumentQuery } from './documents.repository';

export const documentNotFound = () => notFound('document.not_found', 'No document.');

export interface DocumentView {
  readonly document: DocumentRow;
  readonly childIds: readonly string[];
}

/** A document exists for the caller only inside a project they can see (W7.7). */
export async function findDocumentScope(caller: Caller, id: string): Promise<{ document: DocumentRow; scope: ProjectScope }> {
  const document = /^[0-9a-f]{32}$/.test(id) ? await createDocumentsRepository(caller.db).findById(caller.orgId, id) : undefined;
  if (!document) throw documentNotFound();
  const projects = createProjectsRepository(caller.db);
  const project = await projects.findById(caller.orgId, document.project_id);
  if (!project) throw documentNotFound();
  const scope = { caller, project, member: await projects.findMember(caller.orgId, project.id, caller.userId) };
  try {
    requireProject(scope);
  } catch {
    throw documentNotFound();
  }
  return { document, scope };
}

export async function getDocument(caller: Caller, id: string): Promise<DocumentView> {
  const { document } = await findDocumentScope(caller, id);
  return { document, childIds: await createDocumentsRepository(caller.db).childIds(caller.orgId, document.id) };
}

/** Lists documents of the visible projects among `projectIds` (all visible ones when none is named). */
export async function listDocuments(caller: Caller, query: Omit<DocumentQuery, 'projectIds'> & { projectIds?: readonly number[] | undefined }): Promise<DocumentView[]> {
  const visible = await createProjectsRepository(caller.db).list(caller.orgId, caller.roleType === 1 ? {} : { memberUserId: caller.userId });
  const wanted = query.projectIds?.length ? new Set(query.projectIds) : null;
  const projectIds = visible.map((p) => p.id).filter((id) => !wanted || wanted.has(id));
  const rows = await createDocumentsRepository(caller.db).list(caller.orgId, { ...query, projectIds });
  return rows.map((document) => ({ document, childIds: rows.filter((r) => r.parent_id === document.id).map((r) => r.id) }));
}

export interface TreeNode {
  id: string;
  name: string;
  children: TreeNode[];
  statusId: number;
  emoji?: string;
  updated: string;
}

export async function documentTree(caller: Caller, projectIdOrKey: string, iso: (t: string) => string) {
  const { project } = await findProjectScope(caller, projectIdOrKey);
  const rows = await createDocumentsRepository(caller.db).inProject(caller.orgId, project.id);
  const nodeOf = (row: DocumentRow): TreeNode => ({
    id: row.id,
    name: row.title,
    children: rows.filter((r) => r.parent_id === row.id).map(nodeOf),
    statusId: row.status_id,
    ...(row.emoji ? { emoji: row.emoji } : {}),
    updated: iso(row.updated_at),
  });
  return { projectId: project.id, activeTree: { id: 'Active', children: rows.filter((r) => r.parent_id === null).map(nodeOf) }, trashTree: { id: 'Trash', children: [] } };
}

export interface NewDocument {
  projectId: number;
  title?: string | undefined;
  content?: string | undefined;
  emoji?: string | undefined;
  parentId?: string | undefined;
  addLast?: boolean | undefined;
}

export async function addDocument(deps: ProjectsDeps, caller: Caller, input: NewDocument): Promise<DocumentView> {
  const scope = await findProjectScope(caller, String(input.projectId));
  requireProject(scope, 'document:write');
  if (scope.project.archived === 1) throw badRequest('project.archived', 'The project is archived.');
  const repo = createDocumentsRepository(caller.db);
  const parentId = input.parentId || null;
  if (parentId) {
    const parent = /^[0-9a-f]{32}$/.test(parentId) ? await repo.findById(caller.orgId, parentId) : undefined;
    if (!parent || parent.project_id !== scope.project.id) throw badRequest('document.invalid_parent', 'No such parent document in this project.');
  }
  const now = deps.kernel.clock.now().toISOString();
  const id = newId().replace(/-/g, '');
  await repo.insert({
    id,
    org_id: caller.orgId,
    project_id: scope.project.id,
    parent_id: parentId,
    title: input.title ?? '',
    content: input.content ?? '',
    emoji: input.emoji || null,
    status_id: 1,
    display_order: await repo.edgeOrder(caller.orgId, scope.project.id, parentId, input.addLast ?? false),
    created_user_id: caller.userId,
    created_at: now,
    updated_user_id: caller.userId,
    updated_at: now,
  });
  await auditProject(deps, caller, 'document_created', scope.project, { documentId: id });
  return getDocument(caller, id);
}

/** Deletes a document with its whole subtree. */
export async function deleteDocument(deps: ProjectsDeps, caller: Caller, id: string): Promise<DocumentView> {
  const { document, scope } = await findDocumentScope(caller, id);
  requireProject(scope, 'document:write');
  const repo = createDocumentsRepository(caller.db);
  const all = await repo.inProject(caller.orgId, document.project_id);
  const doomed = [document.id];
  for (let i = 0; i < doomed.length; i++) for (const child of all.filter((r) => r.parent_id === doomed[i])) doomed.push(child.id);
  const view = { document, childIds: all.filter((r) => r.parent_id === document.id).map((r) => r.id) };
  await repo.deleteMany(caller.orgId, doomed);
  await auditProject(deps, caller, 'document_deleted', scope.project, { documentId: document.id, removed: doomed.length });
  return view;
}
