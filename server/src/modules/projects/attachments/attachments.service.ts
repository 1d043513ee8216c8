import { badRequest, forbidden, notFound } from '../../../kernel/errors';
import { requireProject } from '../projects.policy';
import { createIssuesRepository } from '../issues.repository';
import { findIssueScope } from '../issues.service';
import type { Caller, ProjectsDeps } from '../spaces.service';
import type { AttachmentRow } from './attachments.db';
import { createAttachmentsRepository } from './attachments.repository';

/** Uploads are kept in the store, so they stay small; Backlog's own limit per file is larger. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const PENDING_MS = 60 * 60 * 1000;
/** Types served inline-safe as themselves; everything else downloads as application/octet-stream. */
const SAFE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'text/csv', 'application/zip', 'application/json']);
export const servedContentType = (declared: string | null) => (declared !== null && SAFE_TYPES.has(declared) ? declared : 'application/octet-stream');
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

const since = (deps: ProjectsDeps) => new Date(deps.kernel.clock.now().getTime() - PENDING_MS).toISOString();

/** `POST /space/attachment`: a pending upload of the caller, attachable for an hour. */
export async function uploadAttachment(deps: ProjectsDeps, caller: Caller, file: { filename: string; mimetype: string; data: Buffer }): Promise<AttachmentRow> {
  if (caller.roleType === 4) throw forbidden('View-only users cannot upload files.', 'attachment.forbidden');
  const name = file.filename.replace(/[\\/]/g, '_').replace(/\p{Cc}/gu, '').trim().slice(0, 255);
  if (!name) throw badRequest('attachment.invalid_name', 'The file needs a name.');
  const mimetype = file.mimetype.toLowerCase().split(';')[0]?.trim() ?? '';
  if (!MIME.test(mimetype)) throw badRequest('attachment.invalid_type', 'The file part has no valid content type.');
  const now = deps.kernel.clock.now().toISOString();
  const repo = createAttachmentsRepository(caller.db);
  await repo.prunePending(caller.orgId, since(deps));
  return caller.db.transaction().execute(async (trx) => {
    const r = createAttachmentsRepository(trx);
    const blob = await r.insertBlob({ org_id: caller.orgId, size: file.data.length, data: file.data.toString('base64'), created_at: now });
    return r.insert({ org_id: caller.orgId, blob_id: blob.id, name, size: file.data.length, content_type: mimetype, created_user_id: caller.userId, created_at: now });
  });
}

/** `attachmentId[]` must be the caller's own pending uploads; anything else is an invalid request. */
export async function pendingAttachments(deps: ProjectsDeps, caller: Caller, ids: readonly number[] | undefined): Promise<AttachmentRow[]> {
  if (!ids?.length) return [];
  const unique = [...new Set(ids)];
  const rows = await createAttachmentsRepository(caller.db).pendingOf(caller.orgId, caller.userId, unique, since(deps));
  if (rows.length !== unique.length) throw badRequest('attachment.not_found', 'No such pending attachment.');
  return rows;
}

export async function attachToIssue(db: Caller['db'], orgId: string, rows: readonly AttachmentRow[], issueId: number, projectId: number): Promise<void> {
  await createAttachmentsRepository(db).attach(orgId, rows.map((r) => r.id), issueId, projectId);
}

export async function listIssueAttachments(caller: Caller, idOrKey: string): Promise<AttachmentRow[]> {
  const { issue } = await findIssueScope(caller, idOrKey);
  return createAttachmentsRepository(caller.db).ofIssues(caller.orgId, [issue.id]);
}

export const attachmentNotFound = () => notFound('attachment.not_found', 'No attachment.');

export async function downloadIssueAttachment(caller: Caller, idOrKey: string, id: number): Promise<{ row: AttachmentRow; data: Buffer; contentType: string }> {
  const { issue } = await findIssueScope(caller, idOrKey);
  const repo = createAttachmentsRepository(caller.db);
  const row = await repo.findOfIssue(caller.orgId, issue.id, id);
  const data = row ? await repo.blobData(caller.orgId, row.blob_id) : undefined;
  if (!row || data === undefined) throw attachmentNotFound();
  return { row, data: Buffer.from(data, 'base64'), contentType: servedContentType(row.content_type) };
}

/** The uploader, admins and project admins delete; the issue's change log records it. */
export async function deleteIssueAttachment(deps: ProjectsDeps, caller: Caller, idOrKey: string, id: number): Promise<AttachmentRow> {
  const { issue, scope } = await findIssueScope(caller, idOrKey);
  requireProject(scope, 'issue:update');
  const repo = createAttachmentsRepository(caller.db);
  const row = await repo.findOfIssue(caller.orgId, issue.id, id);
  if (!row) throw attachmentNotFound();
  const privileged = caller.roleType === 1 || (scope.member?.is_admin === 1 && !caller.isGuest);
  if (!privileged && row.created_user_id !== caller.userId) throw forbidden('Only the uploader and administrators can delete an attachment.', 'attachment.forbidden');
  const now = deps.kernel.clock.now().toISOString();
  await caller.db.transaction().execute(async (trx) => {
    await createAttachmentsRepository(trx).deleteWithBlob(caller.orgId, row.blob_id);
    const issues = createIssuesRepository(trx);
    await issues.update(caller.orgId, issue.id, { updated_user_id: caller.userId, updated_at: now });
    const comment = await issues.insertComment({ org_id: caller.orgId, issue_id: issue.id, content: null, created_user_id: caller.userId, created_at: now });
    await issues.insertChanges(caller.orgId, comment.id, [{ field: 'attachment', newValue: null, originalValue: row.name, attachmentId: row.id }]);
  });
  return row;
}

/** Change-log entries for newly attached files. */
export const attachmentChanges = (rows: readonly AttachmentRow[]) => rows.map((r) => ({ field: 'attachment', newValue: r.name, originalValue: null, attachmentId: r.id }));
