import { badRequest, conflict, notFound } from '../../../kernel/errors';
import { isUniqueViolation } from '../../../kernel/dialect';
import { auditProject } from '../projects.audit';
import { requireProject } from '../projects.policy';
import { createProjectsRepository } from '../projects.repository';
import { findProjectScope, type ProjectScope } from '../projects.service';
import type { Caller, ProjectsDeps } from '../spaces.service';
import type { WikiRow } from './wiki.db';
import { createWikiRepository } from './wiki.repository';
import { tagsFromName } from './wiki.tags';
import { notifyWikiChange } from './wiki.notify';
import type { AttachmentRow } from '../attachments/attachments.db';
import { createAttachmentsRepository } from '../attachments/attachments.repository';
import type { StarRow } from '../social/social.db';
import { createSocialRepository } from '../social/social.repository';
import type { SharedFileRow } from '../shared-files/shared-files.db';
import { createSharedFilesRepository } from '../shared-files/shared-files.repository';

export interface WikiView {
  readonly page: WikiRow;
  readonly tags: readonly { id: number; name: string }[];
  /** Files attached to the page (attachments/) and its stars (social/). */
  readonly attachments?: readonly AttachmentRow[];
  readonly stars?: readonly StarRow[];
  /** Shared files linked to the page (shared-files/). */
  readonly sharedFiles?: readonly SharedFileRow[];
}

export const wikiNotFound = () => notFound('wiki.not_found', 'No wiki page.');

/** A page is visible only inside a project the caller can see; otherwise it does not exist (W7.7). */
export async function findWikiScope(caller: Caller, wikiId: number): Promise<{ page: WikiRow; scope: ProjectScope }> {
  const page = await createWikiRepository(caller.db).findById(caller.orgId, wikiId);
  if (!page) throw wikiNotFound();
  const projects = createProjectsRepository(caller.db);
  const project = await projects.findById(caller.orgId, page.project_id);
  if (!project) throw wikiNotFound();
  const member = await projects.findMember(caller.orgId, project.id, caller.userId);
  const scope = { caller, project, member };
  try {
    requireProject(scope);
  } catch {
    throw wikiNotFound();
  }
  return { page, scope };
}

export async function toWikiViews(caller: Caller, pages: readonly WikiRow[]): Promise<WikiView[]> {
  const ids = pages.map((p) => p.id);
  const [tags, files, stars, shared] = await Promise.all([
    createWikiRepository(caller.db).tagsOf(caller.orgId, ids),
    createAttachmentsRepository(caller.db).ofWikis(caller.orgId, ids),
    createSocialRepository(caller.db).starsOn(caller.orgId, 'wiki', ids),
    createSharedFilesRepository(caller.db).linkedToWikis(caller.orgId, ids),
  ]);
  return pages.map((page) => ({
    page,
    tags: tags.filter((t) => t.wiki_id === page.id).map((t) => ({ id: t.id, name: t.name })),
    attachments: files.filter((f) => f.wiki_id === page.id),
    stars: stars.filter((s) => s.target_id === page.id),
    sharedFiles: shared.filter((f) => f.linked_wiki_id === page.id),
  }));
}

export async function listWikis(caller: Caller, projectIdOrKey: string, keyword?: string): Promise<WikiView[]> {
  const { project } = await findProjectScope(caller, projectIdOrKey);
  return toWikiViews(caller, await createWikiRepository(caller.db).list(caller.orgId, project.id, keyword));
}

export async function countWikis(caller: Caller, projectIdOrKey: string): Promise<number> {
  const { project } = await findProjectScope(caller, projectIdOrKey);
  return createWikiRepository(caller.db).count(caller.orgId, project.id);
}

export async function listWikiTags(caller: Caller, projectIdOrKey: string) {
  const { project } = await findProjectScope(caller, projectIdOrKey);
  return createWikiRepository(caller.db).projectTags(caller.orgId, project.id);
}

const duplicateName = () => conflict('wiki.duplicate_name', 'A wiki page with this name already exists in the project.');

function requireWiki(scope: ProjectScope) {
  requireProject(scope, 'wiki:write');
  if (scope.project.use_wiki !== 1) throw badRequest('wiki.disabled', 'The wiki is turned off in this project.');
  if (scope.project.archived === 1) throw badRequest('project.archived', 'The project is archived.');
}

export interface WikiInput {
  name: string;
  content: string;
  mailNotify?: boolean | undefined;
}

export async function createWiki(deps: ProjectsDeps, caller: Caller, projectId: number, input: WikiInput): Promise<WikiView> {
  const scope = await findProjectScope(caller, String(projectId));
  requireWiki(scope);
  const now = deps.kernel.clock.now().toISOString();
  let page: WikiRow;
  try {
    page = await caller.db.transaction().execute(async (trx) => {
      const repo = createWikiRepository(trx);
      const created = await repo.insert({ org_id: caller.orgId, project_id: scope.project.id, name: input.name, content: input.content, created_user_id: caller.userId, created_at: now });
      await repo.insertHistory({ org_id: caller.orgId, wiki_id: created.id, version: 1, name: created.name, content: created.content, created_user_id: caller.userId, created_at: now });
      const tags = await repo.ensureTags(caller.orgId, scope.project.id, tagsFromName(input.name));
      await repo.setPageTags(caller.orgId, created.id, tags.map((t) => t.id));
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName();
    throw error;
  }
  await auditProject(deps, caller, 'wiki_created', scope.project, { wikiId: page.id, name: page.name });
  if (input.mailNotify) await notifyWikiChange(deps, caller, scope, page, 'created');
  const [view] = await toWikiViews(caller, [page]);
  return view as WikiView;
}

export async function updateWiki(deps: ProjectsDeps, caller: Caller, wikiId: number, input: Partial<WikiInput>): Promise<WikiView> {
  const { page, scope } = await findWikiScope(caller, wikiId);
  requireWiki(scope);
  const now = deps.kernel.clock.now().toISOString();
  const name = input.name ?? page.name;
  const content = input.content ?? page.content;
  const changed = name !== page.name || content !== page.content;
  if (changed) {
    try {
      await caller.db.transaction().execute(async (trx) => {
        const repo = createWikiRepository(trx);
        const version = page.version + 1;
        await repo.update(caller.orgId, page.id, { name, content, version, updated_user_id: caller.userId, updated_at: now });
        await repo.insertHistory({ org_id: caller.orgId, wiki_id: page.id, version, name, content, created_user_id: caller.userId, created_at: now });
        const tags = await repo.ensureTags(caller.orgId, scope.project.id, tagsFromName(name));
        await repo.setPageTags(caller.orgId, page.id, tags.map((t) => t.id));
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName();
      throw error;
    }
    await auditProject(deps, caller, 'wiki_updated', scope.project, { wikiId: page.id, name });
  }
  const updated = (await createWikiRepository(caller.db).findById(caller.orgId, page.id)) ?? page;
  if (changed && input.mailNotify) await notifyWikiChange(deps, caller, scope, updated, 'updated');
  const [view] = await toWikiViews(caller, [updated]);
  return view as WikiView;
}

export async function deleteWiki(deps: ProjectsDeps, caller: Caller, wikiId: number, mailNotify: boolean): Promise<WikiView> {
  const { page, scope } = await findWikiScope(caller, wikiId);
  requireWiki(scope);
  const [view] = await toWikiViews(caller, [page]);
  // The page's files and stars go with it; the bytes are deleted, not orphaned.
  await caller.db.transaction().execute(async (trx) => {
    await createAttachmentsRepository(trx).deleteOfWiki(caller.orgId, page.id);
    await createSocialRepository(trx).deleteStarsOn(caller.orgId, 'wiki', page.id);
    await createWikiRepository(trx).delete(caller.orgId, page.id);
  });
  await auditProject(deps, caller, 'wiki_deleted', scope.project, { wikiId: page.id, name: page.name });
  if (mailNotify) await notifyWikiChange(deps, caller, scope, page, 'deleted');
  return view as WikiView;
}

export async function wikiHistory(caller: Caller, wikiId: number, page: { minId?: number | undefined; maxId?: number | undefined; count: number; order: 'asc' | 'desc' }) {
  const { page: wiki } = await findWikiScope(caller, wikiId);
  return createWikiRepository(caller.db).history(caller.orgId, wiki.id, page);
}
