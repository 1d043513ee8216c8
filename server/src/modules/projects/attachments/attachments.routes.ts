import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError, badRequest } from '../../../kernel/errors';
import { presentUser } from '../backlog-api/backlog.presenter';
import { int, parseParams } from '../backlog-api/params';
import { callerOf } from '../backlog-api/plugin';
import { loadSpaceUsers, type ProjectsDeps, type SpaceUser } from '../spaces.service';
import type { AttachmentRow } from './attachments.db';
import { deleteIssueAttachment, downloadIssueAttachment, listIssueAttachments, MAX_ATTACHMENT_BYTES, uploadAttachment } from './attachments.service';

const iso = (timestamp: string) => timestamp.replace(/\.\d{3}Z$/, 'Z');
const unknownUser = (id: number) => ({ id, userId: `user${id}`, name: 'deleted user', roleType: 2, lang: null, mailAddress: null, lastLoginTime: null });

/** `IssueFileInfo`: `{ id, name, size, createdUser, created }`. */
export const presentFileInfo = (row: AttachmentRow, users: Map<number, SpaceUser>) => {
  const user = users.get(row.created_user_id);
  return { id: row.id, name: row.name, size: row.size, createdUser: user ? presentUser(user) : unknownUser(row.created_user_id), created: iso(row.created_at) };
};

const ids = z.object({ attachmentId: int });
type I = { Params: { issueIdOrKey: string } };
type IA = { Params: { issueIdOrKey: string; attachmentId: string } };

/** RFC 6266 header with an ASCII fallback; backlog-js reads `filename*` first. */
const disposition = (name: string) => `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Sends stored bytes as a download that no browser renders in the app's origin (nosniff, sandbox). */
export const sendDownload = (reply: FastifyReply, file: { row: { name: string }; contentType: string; data: Buffer }) =>
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', disposition(file.row.name))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(file.data);

export function attachmentRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    // Multipart only here: the rest of /api/v2 reads form and JSON bodies.
    await api.register(async (upload) => {
      await upload.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 10, parts: 12, fieldSize: 1024 } });
      upload.post('/space/attachment', async (request) => {
        const caller = callerOf(request);
        if (!request.isMultipart()) throw badRequest('attachment.not_multipart', 'Send the file as multipart/form-data, part "file".');
        const file = await request.file().catch(() => {
          throw badRequest('attachment.unreadable', 'The upload could not be read.');
        });
        if (!file || file.fieldname !== 'file') throw badRequest('attachment.no_file', 'The part "file" is required.');
        const data = await file.toBuffer().catch(() => {
          throw new AppError(413, 'attachment.too_large', `A file may be at most ${MAX_ATTACHMENT_BYTES} bytes.`);
        });
        // The stream may end truncated without throwing: check both ways.
        if (file.file.truncated || data.length > MAX_ATTACHMENT_BYTES) throw new AppError(413, 'attachment.too_large', `A file may be at most ${MAX_ATTACHMENT_BYTES} bytes.`);
        const row = await uploadAttachment(deps, caller, { filename: file.filename, mimetype: file.mimetype, data });
        return { id: row.id, name: row.name, size: row.size };
      });
    });

    api.get<I>('/issues/:issueIdOrKey/attachments', async (request) => {
      const caller = callerOf(request);
      const rows = await listIssueAttachments(caller, request.params.issueIdOrKey);
      const users = await loadSpaceUsers(deps, caller);
      return rows.map((r) => presentFileInfo(r, users));
    });

    api.get<IA>('/issues/:issueIdOrKey/attachments/:attachmentId', async (request, reply) => {
      const { attachmentId } = parseParams(ids, request.params);
      const file = await downloadIssueAttachment(callerOf(request), request.params.issueIdOrKey, attachmentId);
      return sendDownload(reply, file);
    });

    api.delete<IA>('/issues/:issueIdOrKey/attachments/:attachmentId', async (request) => {
      const caller = callerOf(request);
      const { attachmentId } = parseParams(ids, request.params);
      const row = await deleteIssueAttachment(deps, caller, request.params.issueIdOrKey, attachmentId);
      return presentFileInfo(row, await loadSpaceUsers(deps, caller));
    });
  };
}
