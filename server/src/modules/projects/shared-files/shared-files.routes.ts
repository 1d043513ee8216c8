import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, badRequest } from '../../../kernel/errors';
import { sendDownload } from '../attachments/index';
import { MAX_ATTACHMENT_BYTES } from '../attachments/index';
import { int, intList, paramsOf, parseParams, text } from '../backlog-api/params';
import { callerOf } from '../backlog-api/plugin';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';
import type { SharedFileRow } from './shared-files.db';
import { presentSharedFile } from './shared-files.presenter';
import { createDirectory, deleteSharedFile, downloadSharedFile, listDirectory, uploadSharedFile } from './shared-files.service';
import { linkFiles, listLinkedFiles, unlinkFile } from './shared-file-links.service';

const listQuery = z.object({
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: int.pipe(z.number().min(0)).default(0),
  count: int.pipe(z.number().min(1).max(1000)).default(1000),
});
const fileIdParam = z.object({ sharedFileId: int });
const linkIdParam = z.object({ id: int });
const wikiIdParam = z.object({ wikiId: int });
const linkBody = z.object({ fileId: intList.refine((ids) => ids.length > 0 && ids.length <= 100, 'give 1–100 ids') });
const newDirectory = z.object({ dir: text(1024).default('/'), name: z.string().min(1, 'is required').max(255) });

type P = { Params: { projectIdOrKey: string } };
type PF = { Params: { projectIdOrKey: string; sharedFileId: string } };
type PM = { Params: { projectIdOrKey: string; '*'?: string } };
type I = { Params: { issueIdOrKey: string } };
type IL = { Params: { issueIdOrKey: string; id: string } };
type W = { Params: { wikiId: string } };
type WL = { Params: { wikiId: string; id: string } };

const tooLarge = () => new AppError(413, 'shared_file.too_large', `A file may be at most ${MAX_ATTACHMENT_BYTES} bytes.`);

/** Reads `dir` and the one part `file`, in whichever order they come. */
async function readUpload(request: FastifyRequest): Promise<{ dir: string; filename: string; mimetype: string; data: Buffer }> {
  if (!request.isMultipart()) throw badRequest('shared_file.not_multipart', 'Send the file as multipart/form-data, part "file" and field "dir".');
  let dir: string | undefined;
  let file: { filename: string; mimetype: string; data: Buffer } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw badRequest('shared_file.unexpected_part', `Unexpected file part "${part.fieldname}".`);
        const data = await part.toBuffer();
        // The stream may end truncated without throwing: check both ways (as attachments/ does).
        if (part.file.truncated || data.length > MAX_ATTACHMENT_BYTES) throw tooLarge();
        file = { filename: part.filename, mimetype: part.mimetype, data };
      } else if (part.fieldname === 'dir') dir = String(part.value);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) throw tooLarge();
    throw badRequest('shared_file.unreadable', 'The upload could not be read.');
  }
  if (!file) throw badRequest('shared_file.no_file', 'The part "file" is required.');
  return { dir: dir ?? '/', ...file };
}

/**
 * Shared files (issue 3): Backlog's read and link endpoints, plus Toride's own upload, mkdir and
 * delete under `/projects/:p/…` (Backlog has no API for those; the web app uses them).
 * `files/metadata` is a literal segment, matched before `files/:sharedFileId`.
 */
export function sharedFileRoutes(deps: ProjectsDeps) {
  const present = async (caller: Caller, rows: readonly SharedFileRow[]) => {
    const users = await loadSpaceUsers(deps, caller);
    return rows.map((r) => presentSharedFile(r, users));
  };
  return async (api: FastifyInstance) => {
    // Multipart only here: the rest of /api/v2 reads form and JSON bodies.
    await api.register(async (upload) => {
      await upload.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 2048 } });
      upload.post<P>('/projects/:projectIdOrKey/files', async (request, reply) => {
        const caller = callerOf(request);
        const row = await uploadSharedFile(deps, caller, request.params.projectIdOrKey, await readUpload(request));
        return reply.status(201).send((await present(caller, [row]))[0]);
      });
    });

    const list = async (request: FastifyRequest<PM>) => {
      const caller = callerOf(request);
      const page = parseParams(listQuery, paramsOf(request));
      return present(caller, await listDirectory(caller, request.params.projectIdOrKey, request.params['*'] ?? '/', page));
    };
    api.get<PM>('/projects/:projectIdOrKey/files/metadata', list);
    api.get<PM>('/projects/:projectIdOrKey/files/metadata/*', list);

    api.get<PF>('/projects/:projectIdOrKey/files/:sharedFileId', async (request, reply) => {
      const { sharedFileId } = parseParams(fileIdParam, request.params);
      const file = await downloadSharedFile(callerOf(request), request.params.projectIdOrKey, sharedFileId);
      return sendDownload(reply, file);
    });

    api.delete<PF>('/projects/:projectIdOrKey/files/:sharedFileId', async (request) => {
      const caller = callerOf(request);
      const { sharedFileId } = parseParams(fileIdParam, request.params);
      return (await present(caller, [await deleteSharedFile(deps, caller, request.params.projectIdOrKey, sharedFileId)]))[0];
    });

    api.post<P>('/projects/:projectIdOrKey/directories', async (request, reply) => {
      const caller = callerOf(request);
      const row = await createDirectory(deps, caller, request.params.projectIdOrKey, parseParams(newDirectory, paramsOf(request)));
      return reply.status(201).send((await present(caller, [row]))[0]);
    });

    api.get<I>('/issues/:issueIdOrKey/sharedFiles', async (request) => {
      const caller = callerOf(request);
      return present(caller, await listLinkedFiles(caller, { kind: 'issue', idOrKey: request.params.issueIdOrKey }));
    });

    api.post<I>('/issues/:issueIdOrKey/sharedFiles', async (request) => {
      const caller = callerOf(request);
      const { fileId } = parseParams(linkBody, paramsOf(request));
      return present(caller, await linkFiles(deps, caller, { kind: 'issue', idOrKey: request.params.issueIdOrKey }, fileId));
    });

    api.delete<IL>('/issues/:issueIdOrKey/sharedFiles/:id', async (request) => {
      const caller = callerOf(request);
      const { id } = parseParams(linkIdParam, request.params);
      return (await present(caller, [await unlinkFile(deps, caller, { kind: 'issue', idOrKey: request.params.issueIdOrKey }, id)]))[0];
    });

    api.get<W>('/wikis/:wikiId/sharedFiles', async (request) => {
      const caller = callerOf(request);
      const { wikiId } = parseParams(wikiIdParam, request.params);
      return present(caller, await listLinkedFiles(caller, { kind: 'wiki', wikiId }));
    });

    api.post<W>('/wikis/:wikiId/sharedFiles', async (request) => {
      const caller = callerOf(request);
      const { wikiId } = parseParams(wikiIdParam, request.params);
      const { fileId } = parseParams(linkBody, paramsOf(request));
      return present(caller, await linkFiles(deps, caller, { kind: 'wiki', wikiId }, fileId));
    });

    api.delete<WL>('/wikis/:wikiId/sharedFiles/:id', async (request) => {
      const caller = callerOf(request);
      const { wikiId, id } = parseParams(wikiIdParam.extend({ id: int }), request.params);
      return (await present(caller, [await unlinkFile(deps, caller, { kind: 'wiki', wikiId }, id)]))[0];
    });
  };
}
