import { forbidden, notFound } from '../../kernel/errors';
import type { CommentChangeRow, CommentRow, IssueRow } from './projects.db';
import { requireProject } from './projects.policy';
import { createIssuesRepository } from './issues.repository';
import { checkReferences, findIssueScope, loadProjectMeta, PRIORITIES, RESOLUTIONS, toViews, type IssueFields, type IssueView, type ProjectMeta } from './issues.service';
import type { Caller, ProjectsDeps } from './spaces.service';
import { planCustomValues, writeCustomValues } from './custom-fields/index';
import { attachmentChanges, attachToIssue, pendingAttachments } from './attachments/index';
import { issueCommented, issueUpdated } from './social/issue-events';
import type { NotificationRow, StarRow } from './social/social.db';
import { createSocialRepository } from './social/social.repository';

/** A change-log entry as Backlog names it (`assigner`, `limitDate`, `component` are Backlog's words). */
export interface Change {
  field: string;
  newValue: string | null;
  originalValue: string | null;
  /** A custom field's id and type (`attributeInfo`). */
  attributeId?: number | undefined;
  attributeTypeId?: number | undefined;
  attachmentId?: number | undefined;
}

export interface CommentView {
  readonly comment: CommentRow;
  readonly changes: readonly CommentChangeRow[];
  readonly projectId: number;
  /** Stars given to the comment (social/). */
  readonly stars?: readonly StarRow[];
  /** Who was notified of the comment (Backlog's `Comment.notifications`). */
  readonly notifications?: readonly NotificationRow[];
}

const nameOf = (map: Map<number, { name: string }>, id: number | null) => (id === null ? null : (map.get(id)?.name ?? null));
const names = (map: Map<number, { name: string }>, ids: readonly number[]) => ids.map((id) => map.get(id)?.name ?? String(id)).join(', ') || null;
const fixed = (list: readonly { id: number; name: string }[], id: number | null) => (id === null ? null : (list.find((x) => x.id === id)?.name ?? null));
const num = (v: number | null) => (v === null ? null : String(v));

/** What changed, in Backlog's change-log words; values are display names, as Backlog shows them. */
function diff(before: IssueRow, after: IssueRow, links: { before: IssueView['links']; after: IssueView['links'] }, meta: ProjectMeta, users: Map<number, { name: string }>): Change[] {
  const changes: Change[] = [];
  const add = (field: string, original: string | null, next: string | null) => {
    if (original !== next) changes.push({ field, newValue: next, originalValue: original });
  };
  add('summary', before.summary, after.summary);
  add('description', before.description, after.description);
  add('issueType', nameOf(meta.issueTypes, before.issue_type_id), nameOf(meta.issueTypes, after.issue_type_id));
  add('status', nameOf(meta.statuses, before.status_id), nameOf(meta.statuses, after.status_id));
  add('priority', fixed(PRIORITIES, before.priority_id), fixed(PRIORITIES, after.priority_id));
  add('resolution', fixed(RESOLUTIONS, before.resolution_id), fixed(RESOLUTIONS, after.resolution_id));
  add('assigner', nameOf(users, before.assignee_id), nameOf(users, after.assignee_id));
  add('startDate', before.start_date, after.start_date);
  add('limitDate', before.due_date, after.due_date);
  add('estimatedHours', num(before.estimated_hours), num(after.estimated_hours));
  add('actualHours', num(before.actual_hours), num(after.actual_hours));
  add('parentIssue', num(before.parent_issue_id), num(after.parent_issue_id));
  add('component', names(meta.categories, links.before.category), names(meta.categories, links.after.category));
  add('version', names(meta.versions, links.before.version), names(meta.versions, links.after.version));
  add('milestone', names(meta.versions, links.before.milestone), names(meta.versions, links.after.milestone));
  return changes;
}

/**
 * Applies the given fields; when anything changed or a `comment` was sent, records one comment
 * holding the text and the change log, as Backlog does.
 */
export async function updateIssue(
  deps: ProjectsDeps,
  caller: Caller,
  idOrKey: string,
  input: IssueFields & { comment?: string | undefined },
  users: Map<number, { name: string }>,
): Promise<IssueView> {
  const { issue, scope } = await findIssueScope(caller, idOrKey);
  requireProject(scope, 'issue:update');
  const meta = await loadProjectMeta(caller, scope.project);
  await checkReferences(scope, meta, {
    ...input,
    startDate: input.startDate === undefined ? issue.start_date : input.startDate,
    dueDate: input.dueDate === undefined ? issue.due_date : input.dueDate,
  }, issue.id);
  const [beforeView] = await toViews(caller, [issue], new Map([[scope.project.id, meta]]));
  const before = (beforeView as IssueView).links;
  const now = deps.kernel.clock.now().toISOString();
  const set: Partial<Omit<IssueRow, 'id'>> = {};
  const put = <K extends keyof Omit<IssueRow, 'id'>>(key: K, value: IssueRow[K] | undefined) => {
    if (value !== undefined) set[key] = value;
  };
  put('summary', input.summary?.trim());
  put('description', input.description);
  put('issue_type_id', input.issueTypeId);
  put('priority_id', input.priorityId);
  put('status_id', input.statusId);
  put('resolution_id', input.resolutionId);
  put('assignee_id', input.assigneeId);
  put('parent_issue_id', input.parentIssueId);
  put('start_date', input.startDate);
  put('due_date', input.dueDate);
  put('estimated_hours', input.estimatedHours);
  put('actual_hours', input.actualHours);
  const after: IssueRow = { ...issue, ...set };
  const afterLinks = {
    category: input.categoryId ?? before.category,
    version: input.versionId ?? before.version,
    milestone: input.milestoneId ?? before.milestone,
  };
  const custom = await planCustomValues(caller, scope.project.id, after.issue_type_id, input.customFields ?? [], issue.id);
  const files = await pendingAttachments(deps, caller, input.attachmentId);
  const changes = [...diff(issue, after, { before, after: afterLinks }, meta, users), ...custom.changes, ...attachmentChanges(files)];
  const comment = input.comment?.trim() ? input.comment : null;
  let logged: CommentRow | null = null;
  if (changes.length > 0 || comment !== null) {
    logged = await caller.db.transaction().execute(async (trx) => {
      const repo = createIssuesRepository(trx);
      await repo.update(caller.orgId, issue.id, { ...set, updated_user_id: caller.userId, updated_at: now });
      if (input.categoryId) await repo.replaceLinks(caller.orgId, issue.id, 'category', input.categoryId);
      if (input.versionId) await repo.replaceLinks(caller.orgId, issue.id, 'version', input.versionId);
      if (input.milestoneId) await repo.replaceLinks(caller.orgId, issue.id, 'milestone', input.milestoneId);
      await writeCustomValues(trx, caller.orgId, issue.id, custom);
      await attachToIssue(trx, caller.orgId, files, issue.id, scope.project.id);
      const row = await repo.insertComment({ org_id: caller.orgId, issue_id: issue.id, content: comment, created_user_id: caller.userId, created_at: now });
      await repo.insertChanges(caller.orgId, row.id, changes);
      return row;
    });
  }
  const fresh = await createIssuesRepository(caller.db).findById(caller.orgId, issue.id);
  await issueUpdated(deps, caller, issue, fresh ?? after, logged, changes, input.notifiedUserId);
  return (await toViews(caller, [fresh ?? issue], new Map([[scope.project.id, meta]])))[0] as IssueView;
}

async function withChanges(caller: Caller, comments: readonly CommentRow[], projectId: number): Promise<CommentView[]> {
  const ids = comments.map((c) => c.id);
  const social = createSocialRepository(caller.db);
  const [changes, stars, notifications] = await Promise.all([createIssuesRepository(caller.db).changesOf(caller.orgId, ids), social.starsOn(caller.orgId, 'comment', ids), social.notificationsOnComments(caller.orgId, ids)]);
  return comments.map((comment) => ({
    comment,
    projectId,
    changes: changes.filter((c) => c.comment_id === comment.id),
    stars: stars.filter((s) => s.target_id === comment.id),
    notifications: notifications.filter((n) => n.comment_id === comment.id),
  }));
}

/** A plain comment also counts as an update of the issue (Backlog moves `updated`). */
export async function addComment(deps: ProjectsDeps, caller: Caller, idOrKey: string, content: string, notifiedUserIds: readonly number[] = [], attachmentIds: number[] = []): Promise<CommentView> {
  const { issue, scope } = await findIssueScope(caller, idOrKey);
  requireProject(scope, 'comment:create');
  const files = await pendingAttachments(deps, caller, attachmentIds);
  const now = deps.kernel.clock.now().toISOString();
  const row = await caller.db.transaction().execute(async (trx) => {
    const repo = createIssuesRepository(trx);
    await repo.update(caller.orgId, issue.id, { updated_user_id: caller.userId, updated_at: now });
    const inserted = await repo.insertComment({ org_id: caller.orgId, issue_id: issue.id, content, created_user_id: caller.userId, created_at: now });
    // Files sent with a comment are attached to its issue and named in the comment's change log.
    await attachToIssue(trx, caller.orgId, files, issue.id, issue.project_id);
    await repo.insertChanges(caller.orgId, inserted.id, attachmentChanges(files));
    return inserted;
  });
  await issueCommented(deps, caller, issue, row, notifiedUserIds);
  // Read back: the answer names the files' change log and who was notified, as Backlog's does.
  return commentOfIssue(caller, issue, row.id);
}

export async function listComments(caller: Caller, idOrKey: string, page: { minId?: number | undefined; maxId?: number | undefined; count: number; order: 'asc' | 'desc' }) {
  const { issue } = await findIssueScope(caller, idOrKey);
  const rows = await createIssuesRepository(caller.db).listComments(caller.orgId, issue.id, page);
  return withChanges(caller, rows, issue.project_id);
}

const commentNotFound = () => notFound('comment.not_found', 'No comment.');

export async function getComment(caller: Caller, idOrKey: string, commentId: number): Promise<CommentView> {
  const { issue } = await findIssueScope(caller, idOrKey);
  return commentOfIssue(caller, issue, commentId);
}

/** A comment of an issue the caller has already found (and may see). */
export async function commentOfIssue(caller: Caller, issue: IssueRow, commentId: number): Promise<CommentView> {
  const row = await createIssuesRepository(caller.db).findComment(caller.orgId, issue.id, commentId);
  if (!row) throw commentNotFound();
  return (await withChanges(caller, [row], issue.project_id))[0] as CommentView;
}

/** Only the author edits a comment's text, as in Backlog. */
export async function updateComment(deps: ProjectsDeps, caller: Caller, idOrKey: string, commentId: number, content: string): Promise<CommentView> {
  const view = await getComment(caller, idOrKey, commentId);
  if (view.comment.created_user_id !== caller.userId) throw forbidden('Only the author can edit a comment.', 'comment.forbidden');
  await createIssuesRepository(caller.db).updateComment(caller.orgId, commentId, content, deps.kernel.clock.now().toISOString());
  return getComment(caller, idOrKey, commentId);
}
