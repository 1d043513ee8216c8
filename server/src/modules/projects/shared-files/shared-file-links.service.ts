import { badRequest, notFound } from '../../../kernel/errors';
import { createIssuesRepository } from '../issues.repository';
import { findIssueScope } from '../issues.service';
import { requireProject, type ProjectAction } from '../projects.policy';
import type { ProjectScope } from '../projects.service';
import type { Caller, ProjectsDeps } from '../spaces.service';
import { findWikiScope } from '../wiki/wiki.service';
import type { IssueRow } from '../projects.db';
import { issueUpdated } from '../social/issue-events';
import type { SharedFileRow } from './shared-files.db';
import { createSharedFilesRepository, type LinkTarget } from './shared-files.repository';
import { requireFileSharing } from './shared-files.service';

/**
 * Shared files linked to issues and wiki pages (Backlog `…/sharedFiles`). Only files of the issue's
 * or page's own project link; another project's, another org's or a missing id is the same 400.
 * Linking and unlinking on an issue writes its change log (field `sharedFile`), like attachments.
 */
type Owner = { kind: 'issue'; idOrKey: string } | { kind: 'wiki'; wikiId: number };

interface Resolved {
  readonly scope: ProjectScope;
  readonly target: LinkTarget;
  readonly issueId: number | null;
  readonly issue: IssueRow | null;
}

async function resolve(caller: Caller, owner: Owner, action?: ProjectAction): Promise<Resolved> {
  if (owner.kind === 'issue') {
    const { issue, scope } = await findIssueScope(caller, owner.idOrKey);
    requireFileSharing(scope);
    if (action) requireProject(scope, action);
    return { scope, target: { issueId: issue.id }, issueId: issue.id, issue };
  }
  const { page, scope } = await findWikiScope(caller, owner.wikiId);
  requireFileSharing(scope);
  if (action) requireProject(scope, action);
  return { scope, target: { wikiId: page.id }, issueId: null, issue: null };
}

const writeAction = (owner: Owner): ProjectAction => (owner.kind === 'issue' ? 'issue:update' : 'wiki:write');

export async function listLinkedFiles(caller: Caller, owner: Owner): Promise<SharedFileRow[]> {
  const { target } = await resolve(caller, owner);
  return createSharedFilesRepository(caller.db).linked(caller.orgId, target);
}

type Change = { field: string; newValue: string | null; originalValue: string | null };

/** Writes one change-log comment on the issue and touches its `updated`; returns the comment. */
async function logIssueChange(db: Caller['db'], caller: Caller, issueId: number, now: string, changes: Change[]) {
  const issues = createIssuesRepository(db);
  await issues.update(caller.orgId, issueId, { updated_user_id: caller.userId, updated_at: now });
  const comment = await issues.insertComment({ org_id: caller.orgId, issue_id: issueId, content: null, created_user_id: caller.userId, created_at: now });
  await issues.insertChanges(caller.orgId, comment.id, changes);
  return comment;
}

/** After commit: the "issue updated" activity (webhooks, feeds) and the notifications of an issue edit. */
async function announce(deps: ProjectsDeps, caller: Caller, issue: IssueRow, commentId: number, now: string, changes: Change[]) {
  await issueUpdated(deps, caller, issue, { ...issue, updated_user_id: caller.userId, updated_at: now }, { id: commentId, content: null }, changes);
}

const pathOf = (row: SharedFileRow) => `${row.dir}${row.name}`;

/** `fileId[]`: links the files not linked yet; answers every requested file (already linked ones too). */
export async function linkFiles(deps: ProjectsDeps, caller: Caller, owner: Owner, fileIds: readonly number[]): Promise<SharedFileRow[]> {
  const { scope, target, issueId, issue } = await resolve(caller, owner, writeAction(owner));
  const unique = [...new Set(fileIds)];
  const repo = createSharedFilesRepository(caller.db);
  const order = new Map(unique.map((id, i) => [id, i]));
  // In the order asked for: links list in the order they were made.
  const files = (await repo.filesIn(caller.orgId, scope.project.id, unique)).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  if (files.length !== unique.length) throw badRequest('shared_file.not_found', 'No such shared file in this project.');
  const already = new Set(await repo.linkedIds(caller.orgId, target));
  const fresh = files.filter((f) => !already.has(f.id));
  const now = deps.kernel.clock.now().toISOString();
  if (fresh.length) {
    const changes = fresh.map((f) => ({ field: 'sharedFile', newValue: pathOf(f), originalValue: null }));
    const comment = await caller.db.transaction().execute(async (trx) => {
      await createSharedFilesRepository(trx).link(
        fresh.map((f) => ({ org_id: caller.orgId, file_id: f.id, issue_id: issueId, wiki_id: 'wikiId' in target ? target.wikiId : null, created_user_id: caller.userId, created_at: now })),
      );
      return issueId !== null ? logIssueChange(trx, caller, issueId, now, changes) : null;
    });
    if (issue && comment) await announce(deps, caller, issue, comment.id, now, changes);
  }
  return files;
}

export async function unlinkFile(deps: ProjectsDeps, caller: Caller, owner: Owner, fileId: number): Promise<SharedFileRow> {
  const { scope, target, issueId, issue } = await resolve(caller, owner, writeAction(owner));
  const repo = createSharedFilesRepository(caller.db);
  const file = await repo.findById(caller.orgId, scope.project.id, fileId);
  const notLinked = () => notFound('shared_file.not_linked', 'No such shared file linked here.');
  if (!file) throw notLinked();
  const now = deps.kernel.clock.now().toISOString();
  const changes = [{ field: 'sharedFile', newValue: null, originalValue: pathOf(file) }];
  const outcome = await caller.db.transaction().execute(async (trx) => {
    const gone = await createSharedFilesRepository(trx).unlink(caller.orgId, target, file.id);
    return { gone, comment: gone && issueId !== null ? await logIssueChange(trx, caller, issueId, now, changes) : null };
  });
  if (!outcome.gone) throw notLinked();
  if (issue && outcome.comment) await announce(deps, caller, issue, outcome.comment.id, now, changes);
  return file;
}
