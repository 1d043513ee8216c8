import { badRequest, notFound } from '../../../kernel/errors';
import { isUniqueViolation } from '../../../kernel/dialect';
import { findIssueScope, toViews, type IssueView } from '../issues.service';
import { requireProject } from '../projects.policy';
import { visibleProjectIds } from '../social/social.service';
import type { Caller, ProjectsDeps } from '../spaces.service';
import { createRelatedIssuesRepository } from './related-issues.repository';

/** Backlog: at most 50 related issues per issue. */
export const MAX_RELATED_ISSUES = 50;

const invalidTarget = () => badRequest('related_issue.invalid_target', 'No such issue to relate.');
const relationNotFound = () => notFound('related_issue.not_found', 'The issues are not related.');

/**
 * `GET /issues/:i/relatedIssues`: the related issues the caller can see. A relation to an issue in a
 * project the caller does not belong to stays hidden, as the issue itself is.
 */
export async function listRelatedIssues(caller: Caller, idOrKey: string): Promise<IssueView[]> {
  const { issue } = await findIssueScope(caller, idOrKey);
  const visible = new Set(await visibleProjectIds(caller));
  const related = (await createRelatedIssuesRepository(caller.db).relatedTo(caller.orgId, issue.id)).filter((r) => visible.has(r.project_id));
  return toViews(caller, related);
}

/**
 * `POST /issues/:i/relatedIssues` (Backlog: everyone but view-only users). The target must be an issue
 * the caller can see in the same space — another org's id is refused exactly like an id that does not
 * exist (W7.7). As in Backlog, relating an issue to itself or to an issue already related is no
 * error: the target comes back unchanged. Backlog's documentation names no change-log entry for it,
 * so none is written.
 */
export async function addRelatedIssue(deps: ProjectsDeps, caller: Caller, idOrKey: string, targetIssueId: number): Promise<IssueView> {
  const { issue, scope } = await findIssueScope(caller, idOrKey);
  requireProject(scope, 'comment:create');
  const { issue: target } = await findIssueScope(caller, String(targetIssueId)).catch(() => {
    throw invalidTarget();
  });
  const repo = createRelatedIssuesRepository(caller.db);
  if (target.id !== issue.id && !(await repo.exists(caller.orgId, issue.id, target.id))) {
    const [mine, theirs] = await Promise.all([repo.count(caller.orgId, issue.id), repo.count(caller.orgId, target.id)]);
    if (mine >= MAX_RELATED_ISSUES || theirs >= MAX_RELATED_ISSUES) throw badRequest('related_issue.limit', `An issue may have at most ${MAX_RELATED_ISSUES} related issues.`);
    try {
      await repo.insert(caller.orgId, issue.id, target.id, caller.userId, deps.kernel.clock.now().toISOString());
    } catch (error) {
      // A concurrent request related the same two issues: the outcome is the same.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return (await toViews(caller, [target]))[0] as IssueView;
}

/** `DELETE /issues/:i/relatedIssues/:relatedIssueId`: 404 when the two are not related (or the other is invisible). */
export async function removeRelatedIssue(caller: Caller, idOrKey: string, relatedIssueId: number): Promise<IssueView> {
  const { issue, scope } = await findIssueScope(caller, idOrKey);
  requireProject(scope, 'comment:create');
  const { issue: related } = await findIssueScope(caller, String(relatedIssueId)).catch(() => {
    throw relationNotFound();
  });
  if ((await createRelatedIssuesRepository(caller.db).delete(caller.orgId, issue.id, related.id)) === 0) throw relationNotFound();
  return (await toViews(caller, [related]))[0] as IssueView;
}
