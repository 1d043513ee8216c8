import { badRequest, forbidden, notFound } from '../../../kernel/errors';
import { isUniqueViolation } from '../../../kernel/dialect';
import { createIssuesRepository } from '../issues.repository';
import { findIssueScope } from '../issues.service';
import { canSeeProject } from '../projects.policy';
import { createProjectsRepository } from '../projects.repository';
import { createSpacesRepository } from '../spaces.repository';
import type { Caller, ProjectsDeps } from '../spaces.service';
import { findWikiScope } from '../wiki/wiki.service';
import type { StarKind, StarRow, WatchingRow } from './social.db';
import { createSocialRepository, type Cursor } from './social.repository';

/** Ids of the projects the caller can see: all for admins, else their own (W7.7 inside an org too). */
export async function visibleProjectIds(caller: Caller): Promise<number[]> {
  const rows = await createProjectsRepository(caller.db).list(caller.orgId, caller.roleType === 1 ? {} : { memberUserId: caller.userId });
  return rows.map((p) => p.id);
}

const userNotFound = () => notFound('user.not_found', 'No user.');

/** A user id of this space (another org's ids do not exist here). */
export async function requireSpaceUser(caller: Caller, userId: number) {
  const user = await createSpacesRepository(caller.db).findUserById(caller.orgId, userId);
  if (!user) throw userNotFound();
  return user;
}

/** Watchings and stars of other users are theirs: only they and admins list them. */
async function requireSelfOrAdmin(caller: Caller, userId: number) {
  await requireSpaceUser(caller, userId);
  if (userId !== caller.userId && caller.roleType !== 1) throw forbidden('You can only see your own list.', 'social.forbidden');
}

// Stars ---------------------------------------------------------------------------------------------

const starNotFound = () => notFound('star.not_found', 'No such item to star.');

/** `POST /stars` with one of issueId, commentId, wikiId (pull requests do not exist here). */
export async function addStar(deps: ProjectsDeps, caller: Caller, target: { issueId?: number | undefined; commentId?: number | undefined; wikiId?: number | undefined; pullRequestId?: number | undefined; pullRequestCommentId?: number | undefined }) {
  const given = [target.issueId, target.commentId, target.wikiId, target.pullRequestId, target.pullRequestCommentId].filter((v) => v !== undefined);
  if (given.length !== 1) throw badRequest('star.invalid', 'Give exactly one of issueId, commentId, wikiId, pullRequestId, pullRequestCommentId.');
  if (target.pullRequestId !== undefined || target.pullRequestCommentId !== undefined) throw starNotFound();
  const base = (deps.kernel.config.publicUrl ?? '').replace(/\/$/, '');
  let kind: StarKind;
  let targetId: number;
  let projectId: number;
  let title: string;
  let url: string;
  /** The author of the starred item: the one who receives the star. */
  let receiverId: number;
  if (target.issueId !== undefined || target.commentId !== undefined) {
    let issueId = target.issueId;
    let commentAuthor: number | undefined;
    if (target.commentId !== undefined) {
      const comment = await caller.db.selectFrom('comments').select(['id', 'issue_id', 'created_user_id']).where('org_id', '=', caller.orgId).where('id', '=', target.commentId).executeTakeFirst();
      if (!comment) throw starNotFound();
      issueId = comment.issue_id;
      commentAuthor = comment.created_user_id;
    }
    const { issue, scope } = await findIssueScope(caller, String(issueId)).catch(() => {
      throw starNotFound();
    });
    kind = target.commentId !== undefined ? 'comment' : 'issue';
    targetId = target.commentId ?? issue.id;
    projectId = issue.project_id;
    receiverId = commentAuthor ?? issue.created_user_id;
    title = `[${scope.project.project_key}-${issue.key_id}] ${issue.summary}`;
    url = `${base}/projects/${scope.project.project_key}/issues/${scope.project.project_key}-${issue.key_id}${kind === 'comment' ? `#comment-${targetId}` : ''}`;
  } else {
    const wiki = await caller.db.selectFrom('wikis').select(['id', 'project_id', 'name', 'created_user_id']).where('org_id', '=', caller.orgId).where('id', '=', target.wikiId as number).executeTakeFirst();
    const project = wiki ? await createProjectsRepository(caller.db).findById(caller.orgId, wiki.project_id) : undefined;
    const member = project ? await createProjectsRepository(caller.db).findMember(caller.orgId, project.id, caller.userId) : undefined;
    if (!wiki || !project || !canSeeProject({ caller, member })) throw starNotFound();
    kind = 'wiki';
    targetId = wiki.id;
    projectId = wiki.project_id;
    receiverId = wiki.created_user_id;
    title = wiki.name;
    url = `${base}/projects/${project.project_key}/wiki/${wiki.id}`;
  }
  try {
    return await createSocialRepository(caller.db).insertStar({ org_id: caller.orgId, user_id: caller.userId, receiver_id: receiverId, target_kind: kind, target_id: targetId, project_id: projectId, title, url, created_at: deps.kernel.clock.now().toISOString() });
  } catch (error) {
    if (isUniqueViolation(error)) throw badRequest('star.exists', 'You already starred it.');
    throw error;
  }
}

export async function removeStar(caller: Caller, id: number) {
  const star = await createSocialRepository(caller.db).findStar(caller.orgId, id);
  if (!star || star.user_id !== caller.userId) throw notFound('star.not_found', 'No star.');
  await createSocialRepository(caller.db).deleteStar(caller.orgId, id);
}

export async function userStars(caller: Caller, userId: number, page: Cursor): Promise<StarRow[]> {
  await requireSpaceUser(caller, userId);
  return createSocialRepository(caller.db).starsOfUser(caller.orgId, userId, await visibleProjectIds(caller), page);
}

/** `GET /wikis/:wikiId/stars`: the page's stars, oldest first; an invisible page does not exist (W7.7). */
export async function wikiStars(caller: Caller, wikiId: number): Promise<StarRow[]> {
  const { page } = await findWikiScope(caller, wikiId);
  return createSocialRepository(caller.db).starsOn(caller.orgId, 'wiki', [page.id]);
}

export async function userStarCount(caller: Caller, userId: number, since?: string, until?: string) {
  await requireSpaceUser(caller, userId);
  const next = until ? new Date(Date.parse(`${until}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
  return createSocialRepository(caller.db).countStarsOfUser(caller.orgId, userId, await visibleProjectIds(caller), since ? `${since}T00:00:00.000Z` : undefined, next);
}

// Watchings -----------------------------------------------------------------------------------------

const watchingNotFound = () => notFound('watching.not_found', 'No watching.');

async function ownWatching(caller: Caller, id: number): Promise<WatchingRow> {
  const row = await createSocialRepository(caller.db).findWatching(caller.orgId, id);
  if (!row || (row.user_id !== caller.userId && caller.roleType !== 1)) throw watchingNotFound();
  // The issue must still be visible to the caller.
  await findIssueScope(caller, String(row.issue_id)).catch(() => {
    throw watchingNotFound();
  });
  return row;
}

export async function addWatching(deps: ProjectsDeps, caller: Caller, issueIdOrKey: string, note: string): Promise<WatchingRow> {
  const { issue } = await findIssueScope(caller, issueIdOrKey);
  const now = deps.kernel.clock.now().toISOString();
  try {
    return await createSocialRepository(caller.db).insertWatching({ org_id: caller.orgId, user_id: caller.userId, issue_id: issue.id, note, last_content_updated: issue.updated_at, created_at: now, updated_at: now });
  } catch (error) {
    if (isUniqueViolation(error)) throw badRequest('watching.exists', 'You already watch this issue.');
    throw error;
  }
}

export const getWatching = ownWatching;

export async function updateWatching(deps: ProjectsDeps, caller: Caller, id: number, note: string): Promise<WatchingRow> {
  const row = await ownWatching(caller, id);
  if (row.user_id !== caller.userId) throw forbidden('Only the watcher edits the note.', 'watching.forbidden');
  await createSocialRepository(caller.db).updateWatching(caller.orgId, id, { note, updated_at: deps.kernel.clock.now().toISOString() });
  return ownWatching(caller, id);
}

export async function deleteWatching(caller: Caller, id: number): Promise<WatchingRow> {
  const row = await ownWatching(caller, id);
  if (row.user_id !== caller.userId) throw forbidden('Only the watcher removes a watch.', 'watching.forbidden');
  await createSocialRepository(caller.db).deleteWatching(caller.orgId, id);
  return row;
}

export async function markWatchingRead(caller: Caller, id: number): Promise<void> {
  const row = await ownWatching(caller, id);
  if (row.user_id !== caller.userId) throw forbidden('Only the watcher marks it read.', 'watching.forbidden');
  await createSocialRepository(caller.db).updateWatching(caller.orgId, id, { resource_already_read: 1 });
}

export async function userWatchings(
  caller: Caller,
  userId: number,
  f: { resourceAlreadyRead?: boolean | undefined; issueIds?: number[] | undefined; sort: 'created' | 'updated' | 'issueUpdated'; order: 'asc' | 'desc'; offset?: number; count?: number },
) {
  await requireSelfOrAdmin(caller, userId);
  return createSocialRepository(caller.db).watchingsOfUser(caller.orgId, userId, await visibleProjectIds(caller), f);
}

/** Issues of the given watchings, for the wire shape. */
export async function issuesOf(caller: Caller, issueIds: readonly number[]) {
  const repo = createIssuesRepository(caller.db);
  const rows = await Promise.all([...new Set(issueIds)].map((id) => repo.findById(caller.orgId, id)));
  return rows.filter((r) => r !== undefined);
}
