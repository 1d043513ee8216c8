import { badRequest, conflict, forbidden, notFound } from '../../../kernel/errors';
import { isUniqueViolation } from '../../../kernel/dialect';
import { auditProject } from '../projects.audit';
import { requireProject } from '../projects.policy';
import { findProjectScope, type ProjectScope } from '../projects.service';
import type { Caller, ProjectsDeps } from '../spaces.service';
import type { SharedFileRow } from './shared-files.db';
import { createSharedFilesRepository } from './shared-files.repository';
import { recordActivity } from '../social/index';
import { servedContentType } from '../attachments/index';

/** Backlog's ActivityType ids for shared files (content `{ id, dir, name, size }`, as its webhooks send). */
export const FileActivity = { added: 8, deleted: 10 } as const;
const fileContent = (row: SharedFileRow) => ({ id: row.id, dir: row.dir, name: row.name, size: row.size });

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;
const MAX_PATH = 1024;

export const sharedFileNotFound = () => notFound('shared_file.not_found', 'No shared file.');
const noDirectory = () => notFound('shared_file.no_directory', 'No such directory.');

/**
 * A name inside a directory: no `/` or `\`, not `.` or `..`, no control characters, 1–255 characters.
 * Apart from dropping surrounding spaces, names are never rewritten: a bad one is refused (400, code 7),
 * so what the user sees is what is stored (attachments/ replaces such characters instead).
 */
export function checkName(raw: string): string {
  const name = raw.trim();
  if (!name || name.length > 255 || name === '.' || name === '..' || /[\\/]/.test(name) || /\p{Cc}/u.test(name)) {
    throw badRequest('shared_file.invalid_name', 'A name needs 1–255 characters, without "/" or "\\", and may not be "." or "..".');
  }
  return name;
}

/** `/`, `docs/specs`, `/docs/specs/` → the canonical `dir` form (`/` or `/docs/specs/`), each segment checked. */
export function normalizeDir(raw: string): string {
  const segments = raw.split('/').filter((s) => s !== '');
  const dir = segments.length === 0 ? '/' : `/${segments.map(checkName).join('/')}/`;
  if (dir.length > MAX_PATH) throw badRequest('shared_file.invalid_path', `A path may be at most ${MAX_PATH} characters.`);
  return dir;
}

/** `/a/b/` → parent `/a/`, name `b`. */
const splitDir = (dir: string) => {
  const segments = dir.split('/').filter((s) => s !== '');
  const name = segments.pop() as string;
  return { parent: segments.length ? `/${segments.join('/')}/` : '/', name };
};

/**
 * File sharing switched off in the project (`useFileSharing: false`): every shared-file endpoint of
 * that project answers 403 with Backlog's code 5. The project is visible to the caller (else 404
 * first), so the 403 reveals nothing they could not read from `GET /projects/:p`.
 */
export function requireFileSharing(scope: ProjectScope): void {
  if (scope.project.use_file_sharing !== 1) throw forbidden('File sharing is turned off in this project.', 'shared_file.disabled');
}

/** Reading: any member of the project (org admins everywhere); outsiders get 404 (W7.7). */
export async function readScope(caller: Caller, projectIdOrKey: string): Promise<ProjectScope> {
  const scope = await findProjectScope(caller, projectIdOrKey);
  requireFileSharing(scope);
  return scope;
}

/** Writing: members who may edit (roleType 1/2, guests in their projects); never "add issues only" or "view only". */
async function writeScope(caller: Caller, projectIdOrKey: string): Promise<ProjectScope> {
  const scope = await readScope(caller, projectIdOrKey);
  requireProject(scope, 'shared_file:write');
  if (scope.project.archived === 1) throw badRequest('project.archived', 'The project is archived.');
  return scope;
}

/** A directory path other than `/` must name an existing directory. */
async function requireDirectory(caller: Caller, projectId: number, dir: string): Promise<void> {
  if (dir === '/') return;
  const { parent, name } = splitDir(dir);
  const entry = await createSharedFilesRepository(caller.db).findByPath(caller.orgId, projectId, parent, name);
  if (entry?.type !== 'directory') throw noDirectory();
}

export async function listDirectory(
  caller: Caller,
  projectIdOrKey: string,
  path: string,
  page: { order: 'asc' | 'desc'; offset: number; count: number },
): Promise<SharedFileRow[]> {
  const scope = await readScope(caller, projectIdOrKey);
  const dir = normalizeDir(path);
  await requireDirectory(caller, scope.project.id, dir);
  return createSharedFilesRepository(caller.db).listDir(caller.orgId, scope.project.id, dir, page);
}

export async function downloadSharedFile(caller: Caller, projectIdOrKey: string, id: number): Promise<{ row: SharedFileRow; data: Buffer; contentType: string }> {
  const scope = await readScope(caller, projectIdOrKey);
  const repo = createSharedFilesRepository(caller.db);
  const row = await repo.findById(caller.orgId, scope.project.id, id);
  if (!row) throw sharedFileNotFound();
  if (row.type !== 'file') throw badRequest('shared_file.is_directory', 'A directory cannot be downloaded.');
  const data = await repo.data(caller.orgId, row.id);
  if (data === undefined) throw sharedFileNotFound();
  return { row, data: Buffer.from(data, 'base64'), contentType: servedContentType(row.content_type) };
}

const duplicateName = () => conflict('shared_file.duplicate_name', 'A file or directory with this name already exists in this directory.');

/** Inserts an entry; a name already taken in the directory is 400 (code 7), whichever request won the race. */
async function insertEntry(caller: Caller, scope: ProjectScope, entry: { type: 'file' | 'directory'; dir: string; name: string; size: number; contentType: string | null; data?: Buffer }, now: string) {
  await requireDirectory(caller, scope.project.id, entry.dir);
  try {
    return await caller.db.transaction().execute(async (trx) => {
      const repo = createSharedFilesRepository(trx);
      if (await repo.findByPath(caller.orgId, scope.project.id, entry.dir, entry.name)) throw duplicateName();
      const row = await repo.insert({
        org_id: caller.orgId,
        project_id: scope.project.id,
        type: entry.type,
        dir: entry.dir,
        name: entry.name,
        size: entry.size,
        content_type: entry.contentType,
        created_user_id: caller.userId,
        created_at: now,
      });
      if (entry.data) await repo.insertData({ file_id: row.id, org_id: caller.orgId, data: entry.data.toString('base64') });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName();
    throw error;
  }
}

/** Toride addition `POST /projects/:p/files` (Backlog has no upload API): one file into an existing directory. */
export async function uploadSharedFile(deps: ProjectsDeps, caller: Caller, projectIdOrKey: string, input: { dir: string; filename: string; mimetype: string; data: Buffer }): Promise<SharedFileRow> {
  const scope = await writeScope(caller, projectIdOrKey);
  const dir = normalizeDir(input.dir);
  const name = checkName(input.filename);
  const mimetype = input.mimetype.toLowerCase().split(';')[0]?.trim() ?? '';
  if (!MIME.test(mimetype)) throw badRequest('shared_file.invalid_type', 'The file part has no valid content type.');
  const row = await insertEntry(caller, scope, { type: 'file', dir, name, size: input.data.length, contentType: mimetype, data: input.data }, deps.kernel.clock.now().toISOString());
  await auditProject(deps, caller, 'shared_file_uploaded', scope.project, { sharedFileId: row.id, path: `${row.dir}${row.name}`, size: row.size });
  await recordActivity(deps, caller, { projectId: scope.project.id, type: FileActivity.added, content: fileContent(row) });
  return row;
}

/** Toride addition `POST /projects/:p/directories`. */
export async function createDirectory(deps: ProjectsDeps, caller: Caller, projectIdOrKey: string, input: { dir: string; name: string }): Promise<SharedFileRow> {
  const scope = await writeScope(caller, projectIdOrKey);
  const dir = normalizeDir(input.dir);
  const name = checkName(input.name);
  if (`${dir}${name}/`.length > MAX_PATH) throw badRequest('shared_file.invalid_path', `A path may be at most ${MAX_PATH} characters.`);
  const row = await insertEntry(caller, scope, { type: 'directory', dir, name, size: 0, contentType: null }, deps.kernel.clock.now().toISOString());
  await recordActivity(deps, caller, { projectId: scope.project.id, type: FileActivity.added, content: fileContent(row) });
  return row;
}

/** Toride addition `DELETE /projects/:p/files/:id`: a file (its bytes and links go with it) or an empty directory. */
export async function deleteSharedFile(deps: ProjectsDeps, caller: Caller, projectIdOrKey: string, id: number): Promise<SharedFileRow> {
  const scope = await writeScope(caller, projectIdOrKey);
  const repo = createSharedFilesRepository(caller.db);
  const row = await repo.findById(caller.orgId, scope.project.id, id);
  if (!row) throw sharedFileNotFound();
  if (row.type === 'directory' && (await repo.hasChildren(caller.orgId, scope.project.id, `${row.dir}${row.name}/`))) {
    throw badRequest('shared_file.directory_not_empty', 'The directory is not empty: delete what it holds first.');
  }
  await repo.delete(caller.orgId, row.id);
  await auditProject(deps, caller, 'shared_file_deleted', scope.project, { sharedFileId: row.id, type: row.type, path: `${row.dir}${row.name}`, size: row.size });
  await recordActivity(deps, caller, { projectId: scope.project.id, type: FileActivity.deleted, content: fileContent(row) });
  return row;
}
