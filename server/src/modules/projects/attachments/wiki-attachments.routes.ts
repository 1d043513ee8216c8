import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { int, intList, paramsOf, parseParams } from '../backlog-api/params';
import { callerOf } from '../backlog-api/plugin';
import { loadSpaceUsers, type ProjectsDeps } from '../spaces.service';
import { presentFileInfo, sendDownload } from './attachments.routes';
import { attachToWiki, deleteWikiAttachment, downloadWikiAttachment, listWikiAttachments } from './wiki-attachments.service';

const wikiParam = z.object({ wikiId: int });
const fileParams = z.object({ wikiId: int, attachmentId: int });
const attachBody = z.object({ attachmentId: intList.refine((ids) => ids.length > 0 && ids.length <= 100, 'give 1 to 100 ids') });
type W = { Params: { wikiId: string } };
type WA = { Params: { wikiId: string; attachmentId: string } };

/** `GET|POST /wikis/:wikiId/attachments`, `GET|DELETE /wikis/:wikiId/attachments/:attachmentId` (`WikiFileInfo`). */
export function wikiAttachmentRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.get<W>('/wikis/:wikiId/attachments', async (request) => {
      const caller = callerOf(request);
      const rows = await listWikiAttachments(caller, parseParams(wikiParam, request.params).wikiId);
      const users = await loadSpaceUsers(deps, caller);
      return rows.map((r) => presentFileInfo(r, users));
    });

    api.post<W>('/wikis/:wikiId/attachments', async (request) => {
      const caller = callerOf(request);
      const { wikiId } = parseParams(wikiParam, request.params);
      const { attachmentId } = parseParams(attachBody, paramsOf(request));
      const rows = await attachToWiki(deps, caller, wikiId, attachmentId);
      const users = await loadSpaceUsers(deps, caller);
      return rows.map((r) => presentFileInfo(r, users));
    });

    api.get<WA>('/wikis/:wikiId/attachments/:attachmentId', async (request, reply) => {
      const { wikiId, attachmentId } = parseParams(fileParams, request.params);
      const file = await downloadWikiAttachment(callerOf(request), wikiId, attachmentId);
      return sendDownload(reply, file);
    });

    api.delete<WA>('/wikis/:wikiId/attachments/:attachmentId', async (request) => {
      const caller = callerOf(request);
      const { wikiId, attachmentId } = parseParams(fileParams, request.params);
      const row = await deleteWikiAttachment(caller, wikiId, attachmentId);
      return presentFileInfo(row, await loadSpaceUsers(deps, caller));
    });
  };
}
