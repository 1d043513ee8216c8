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
const WHAT_JA: Record<number, string> = {
  [Reason.assigned]: 'があなたを担当者に設定しました',
  [Reason.commented]: 'がコメントしました',
  [Reason.issueCreated]: 'が課題を追加しました',
  [Reason.issueUpdated]: 'が課題を更新しました',
};

/** Issue 15 §6: the mail's line in the recipient's language (their account's), not the sender's. */
function line(locale: string | undefined, reason: number, p: { sender: string; issueKey: string; summary: string; projectName: string }): string {
  if (locale === 'ja') return `${p.sender} さん${WHAT_JA[reason] ?? WHAT_JA[Reason.issueUpdated]}: ${p.issueKey}「${p.summary}」（${p.projectName}）`;
  return `${p.sender} ${WHAT[reason] ?? 'updated'} ${p.issueKey} "${p.summary}" in ${p.projectName}.`;
}
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
        text: `${line(user.locale, reason, { sender, issueKey, summary: issue.summary, projectName: project.name })}${excerpt}\n\n${projectPageUrl(deps, caller, user, project.project_key, `/issues/${issueKey}`)}\n`,
      });
    }
  };
  void send().catch((error: unknown) => deps.kernel.logger.error({ err: error, issueId: issue.id }, 'notification mail failed'));
}
