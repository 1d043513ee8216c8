import { badRequest, forbidden } from '../../kernel/errors';
import { createIssuesRepository } from './issues.repository';
import { findIssueScope } from './issues.service';
import { commentOfIssue, getComment, type CommentView } from './issue-updates.service';
import { projectAllows, requireProject } from './projects.policy';
import { commentNotified } from './social/issue-events';
import { createSocialRepository } from './social/social.repository';
import type { Caller, ProjectsDeps } from './spaces.service';

/**
 * A comment is deleted by its author (while they may still comment) or by an administrator of the
 * project or space. A comment that records changes is the issue's history: it stays.
 */
export async function deleteComment(caller: Caller, idOrKey: string, commentId: number): Promise<CommentView> {
  const { issue, scope } = await findIssueScope(caller, idOrKey);
  const view = await commentOfIssue(caller, issue, commentId);
  const moderator = projectAllows(scope, 'project:update');
  const author = view.comment.created_user_id === caller.userId && projectAllows(scope, 'comment:create');
  if (!moderator && !author) throw forbidden('Only the author and administrators can delete a comment.', 'comment.forbidden');
  if (view.changes.length > 0) throw badRequest('comment.has_changes', 'This comment records changes to the issue and cannot be deleted.');
  await caller.db.transaction().execute(async (trx) => {
    const social = createSocialRepository(trx);
    await social.deleteStarsOn(caller.orgId, 'comment', commentId);
    await social.deleteNotificationsOfComment(caller.orgId, commentId);
    await createIssuesRepository(trx).deleteComment(caller.orgId, commentId);
  });
  return view;
}

/** `GET /issues/:i/comments/:c/notifications`. */
export async function commentNotifications(caller: Caller, idOrKey: string, commentId: number) {
  return (await getComment(caller, idOrKey, commentId)).notifications ?? [];
}

/** `POST /issues/:i/comments/:c/notifications`: only the comment's author notifies more members, as in Backlog. */
export async function addCommentNotifications(deps: ProjectsDeps, caller: Caller, idOrKey: string, commentId: number, userIds: readonly number[]): Promise<CommentView> {
  const { issue, scope } = await findIssueScope(caller, idOrKey);
  requireProject(scope, 'comment:create');
  const view = await commentOfIssue(caller, issue, commentId);
  if (view.comment.created_user_id !== caller.userId) throw forbidden('Only the author of a comment can notify others of it.', 'comment.forbidden');
  await commentNotified(deps, caller, issue, view.comment, userIds);
  return commentOfIssue(caller, issue, commentId);
}

/** `GET /issues/:i/comments/count`. */
export async function countComments(caller: Caller, idOrKey: string): Promise<number> {
  const { issue } = await findIssueScope(caller, idOrKey);
  return createIssuesRepository(caller.db).countComments(caller.orgId, issue.id);
}

/** `GET /issues/:i/participants`: the creator and everyone who commented on or changed the issue. */
export async function issueParticipantIds(caller: Caller, idOrKey: string): Promise<number[]> {
  const { issue } = await findIssueScope(caller, idOrKey);
  return createIssuesRepository(caller.db).participantIds(caller.orgId, issue);
}

