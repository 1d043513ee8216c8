import { badRequest, forbidden } from '../../../kernel/errors';
import { requireProject } from '../projects.policy';
import type { Caller, ProjectsDeps } from '../spaces.service';
import { findWikiScope } from '../wiki/wiki.service';
import type { AttachmentRow } from './attachments.db';
import { createAttachmentsRepository } from './attachments.repository';
import { attachmentNotFound, pendingAttachments, servedContentType } from './attachments.service';

/**
 * Wiki page attachments (backlog-js getWikisAttachments … deleteWikisAttachments): the same uploads
 * (`POST /space/attachment`), storage and limits as issue attachments, attached to a page instead.
 */

async function writableWiki(caller: Caller, wikiId: number) {
  const found = await findWikiScope(caller, wikiId);
  requireProject(found.scope, 'wiki:write');
  if (found.scope.project.archived === 1) throw badRequest('project.archived', 'The project is archived.');
  return found;
}

export async function listWikiAttachments(caller: Caller, wikiId: number): Promise<AttachmentRow[]> {
  const { page } = await findWikiScope(caller, wikiId);
  return createAttachmentsRepository(caller.db).ofWikis(caller.orgId, [page.id]);
}

/** `attachmentId[]`: the caller's own pending uploads (else 400, as on issues); answers the files attached now. */
export async function attachToWiki(deps: ProjectsDeps, caller: Caller, wikiId: number, attachmentIds: readonly number[]): Promise<AttachmentRow[]> {
  const { page } = await writableWiki(caller, wikiId);
  const files = await pendingAttachments(deps, caller, attachmentIds);
  await createAttachmentsRepository(caller.db).attachToWiki(caller.orgId, files.map((f) => f.id), page.id, page.project_id);
  const attached = new Set(files.map((f) => f.id));
  return (await createAttachmentsRepository(caller.db).ofWikis(caller.orgId, [page.id])).filter((r) => attached.has(r.id));
}

export async function downloadWikiAttachment(caller: Caller, wikiId: number, id: number): Promise<{ row: AttachmentRow; data: Buffer; contentType: string }> {
  const { page } = await findWikiScope(caller, wikiId);
  const repo = createAttachmentsRepository(caller.db);
  const row = await repo.findOfWiki(caller.orgId, page.id, id);
  const data = row ? await repo.blobData(caller.orgId, row.blob_id) : undefined;
  if (!row || data === undefined) throw attachmentNotFound();
  return { row, data: Buffer.from(data, 'base64'), contentType: servedContentType(row.content_type) };
}

/** The uploader, admins and project admins delete, as on issues. */
export async function deleteWikiAttachment(caller: Caller, wikiId: number, id: number): Promise<AttachmentRow> {
  const { page, scope } = await writableWiki(caller, wikiId);
  const repo = createAttachmentsRepository(caller.db);
  const row = await repo.findOfWiki(caller.orgId, page.id, id);
  if (!row) throw attachmentNotFound();
  const privileged = caller.roleType === 1 || (scope.member?.is_admin === 1 && !caller.isGuest);
  if (!privileged && row.created_user_id !== caller.userId) throw forbidden('Only the uploader and administrators can delete an attachment.', 'attachment.forbidden');
  await repo.deleteWithBlob(caller.orgId, row.blob_id);
  return row;
}

/** Called when a page is deleted: its files' bytes go too. */
export async function deleteAttachmentsOfWiki(db: Caller['db'], orgId: string, wikiId: number): Promise<void> {
  await createAttachmentsRepository(db).deleteOfWiki(orgId, wikiId);
}

/** Files of many pages at once (the Wiki shape's `attachments`), one query. */
export const attachmentsOfWikis = (caller: Caller, wikiIds: readonly number[]) => createAttachmentsRepository(caller.db).ofWikis(caller.orgId, wikiIds);
