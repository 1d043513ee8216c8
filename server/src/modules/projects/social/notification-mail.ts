import type { IssueRow } from '../projects.db';
import { createProjectsRepository } from '../projects.repository';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';
import { projectPageUrl } from '../web-links';
import { Reason } from './reasons';

const WHAT: Record<number, string> = {
  [Reason.assigned]: 'assigned you to',
  [Reason.commented]: 'commented on',
  [Reason.issueCreated]: 'added',
  [Reason.issueUpdated]: 'updated',
};
const EXCERPT = 1000;

/**
 * Each notified user also gets a mail, as Backlog sends one (to active users with an address).
 * Sent in the background: a slow SMTP server must not hold up the comment that caused it; a
 * failed delivery is logged and kept in the outbox by the mailer.
 */
export function mailNotified(deps: ProjectsDeps, caller: Caller, issue: IssueRow, comment: { content: string | null } | null, byReason: ReadonlyMap<number, number>): void {
  if (byReason.size === 0) return;
  const send = async () => {
    const project = await createProjectsRepository(caller.db).findById(caller.orgId, issue.project_id);
    if (!project) return;
    const users = await loadSpaceUsers(deps, caller);
    const sender = users.get(caller.userId)?.name ?? 'Someone';
    const issueKey = `${project.project_key}-${issue.key_id}`;
    const excerpt = comment?.content ? `\n\n${comment.content.length > EXCERPT ? `${comment.content.slice(0, EXCERPT)}…` : comment.content}` : '';
    for (const [userId, reason] of byReason) {
      const user = users.get(userId);
      if (!user?.email || !user.active) continue;
      await deps.kernel.mailer.send({
        orgId: caller.orgId,
        kind: 'projects.notification',
        to: user.email,
        subject: `[${issueKey}] ${issue.summary}`,
        text: `${sender} ${WHAT[reason] ?? 'updated'} ${issueKey} "${issue.summary}" in ${project.name}.${excerpt}\n\n${projectPageUrl(deps, caller, user, project.project_key, `/issues/${issueKey}`)}\n`,
      });
    }
  };
  void send().catch((error: unknown) => deps.kernel.logger.error({ err: error, issueId: issue.id }, 'notification mail failed'));
}
