import { createProjectsRepository } from '../projects.repository';
import type { IssueRow } from '../projects.db';
import type { Caller, ProjectsDeps } from '../spaces.service';
import { createAttachmentsRepository } from '../attachments/attachments.repository';
import { createSocialRepository } from './social.repository';
import { mentionedMembers, mentionHandles } from './mentions';
import { mailNotified } from './notification-mail';
import { Reason } from './reasons';

/** Backlog's ActivityType ids used here. */
export const ActivityType = { issueCreated: 1, issueUpdated: 2, issueCommented: 3, issueDeleted: 4, wikiCreated: 5, wikiUpdated: 6, wikiDeleted: 7 } as const;

export type ActivityListener = (deps: ProjectsDeps, caller: Caller, activity: { id: number; projectId: number; type: number; content: Record<string, unknown> }) => Promise<void>;
const listeners: ActivityListener[] = [];
/** Webhooks subscribe here; an activity is delivered once recorded. */
export const onActivity = (listener: ActivityListener) => void listeners.push(listener);

/**
 * Records one activity of a project (`/space/activities`…). Exported for other features of the module
 * (wiki pages record types 5–7 through it). `content` is Backlog's per-type JSON, snake_case keys.
 */
export async function recordActivity(deps: ProjectsDeps, caller: Caller, activity: { projectId: number; type: number; content: Record<string, unknown> }): Promise<number> {
  const row = await createSocialRepository(caller.db).insertActivity({
    org_id: caller.orgId,
    project_id: activity.projectId,
    type: activity.type,
    content: JSON.stringify(activity.content),
    created_user_id: caller.userId,
    created_at: deps.kernel.clock.now().toISOString(),
  });
  for (const listener of listeners) await listener(deps, caller, { id: row.id, ...activity });
  return row.id;
}

/** Recipients must be project members (or watchers, who could see the issue); never the sender. */
async function notify(deps: ProjectsDeps, caller: Caller, issue: IssueRow, comment: { id: number; content: string | null } | null, byReason: Map<number, number>) {
  const members = new Set((await createProjectsRepository(caller.db).listMembers(caller.orgId, issue.project_id)).map((m) => m.user_id));
  const watchers = new Set((await createSocialRepository(caller.db).watchersOf(caller.orgId, issue.id)).map((w) => w.user_id));
  const now = deps.kernel.clock.now().toISOString();
  const rows = [...byReason.entries()]
    .filter(([userId]) => userId !== caller.userId && (members.has(userId) || watchers.has(userId)))
    .map(([userId, reason]) => ({ org_id: caller.orgId, user_id: userId, reason, project_id: issue.project_id, issue_id: issue.id, comment_id: comment?.id ?? null, sender_id: caller.userId, created_at: now }));
  await createSocialRepository(caller.db).insertNotifications(rows);
  mailNotified(deps, caller, issue, comment, new Map(rows.map((r) => [r.user_id, r.reason])));
}

const issueContent = (issue: IssueRow, extra: Record<string, unknown> = {}) => ({ id: issue.id, key_id: issue.key_id, summary: issue.summary, description: issue.description, ...extra });
const addOnce = (map: Map<number, number>, userId: number | null | undefined, reason: number) => {
  if (userId != null && !map.has(userId)) map.set(userId, reason);
};

export async function issueCreated(deps: ProjectsDeps, caller: Caller, issue: IssueRow, notifiedUserIds: readonly number[] = []) {
  await recordActivity(deps, caller, { projectId: issue.project_id, type: ActivityType.issueCreated, content: issueContent(issue) });
  const to = new Map<number, number>();
  addOnce(to, issue.assignee_id, Reason.assigned);
  for (const id of notifiedUserIds) addOnce(to, id, Reason.issueCreated);
  // An @mention asks for the mentioned member's attention as `notifiedUserId[]` does, with its reason.
  for (const id of await mentionedMembers(deps, caller, issue.project_id, issue.description)) addOnce(to, id, Reason.issueCreated);
  await notify(deps, caller, issue, null, to);
}

export async function issueUpdated(
  deps: ProjectsDeps,
  caller: Caller,
  before: IssueRow,
  after: IssueRow,
  comment: { id: number; content: string | null } | null,
  changes: readonly { field: string; newValue: string | null; originalValue: string | null }[],
  notifiedUserIds: readonly number[] = [],
) {
  if (!comment) return;
  await recordActivity(deps, caller, {
    projectId: after.project_id,
    type: ActivityType.issueUpdated,
    content: issueContent(after, { comment: { id: comment.id, content: comment.content ?? '' }, changes: changes.map((c) => ({ field: c.field, new_value: c.newValue, old_value: c.originalValue, type: 'standard' })) }),
  });
  const to = new Map<number, number>();
  if (after.assignee_id !== before.assignee_id) addOnce(to, after.assignee_id, Reason.assigned);
  addOnce(to, after.assignee_id, Reason.issueUpdated);
  for (const id of notifiedUserIds) addOnce(to, id, Reason.issueUpdated);
  for (const id of await mentionedMembers(deps, caller, after.project_id, comment.content)) addOnce(to, id, Reason.issueUpdated);
  // A description edit notifies only the members it newly mentions.
  if (after.description !== before.description) for (const id of await mentionedMembers(deps, caller, after.project_id, after.description, mentionHandles(before.description))) addOnce(to, id, Reason.issueUpdated);
  for (const w of await createSocialRepository(caller.db).watchersOf(caller.orgId, after.id)) addOnce(to, w.user_id, Reason.issueUpdated);
  await notify(deps, caller, after, comment, to);
  await createSocialRepository(caller.db).touchWatchings(caller.orgId, after.id, caller.userId, deps.kernel.clock.now().toISOString());
}

export async function issueCommented(deps: ProjectsDeps, caller: Caller, issue: IssueRow, comment: { id: number; content: string | null }, notifiedUserIds: readonly number[] = []) {
  await recordActivity(deps, caller, { projectId: issue.project_id, type: ActivityType.issueCommented, content: issueContent(issue, { comment: { id: comment.id, content: comment.content ?? '' } }) });
  const to = new Map<number, number>();
  for (const id of notifiedUserIds) addOnce(to, id, Reason.commented);
  for (const id of await mentionedMembers(deps, caller, issue.project_id, comment.content)) addOnce(to, id, Reason.commented);
  addOnce(to, issue.assignee_id, Reason.commented);
  addOnce(to, issue.created_user_id, Reason.commented);
  for (const w of await createSocialRepository(caller.db).watchersOf(caller.orgId, issue.id)) addOnce(to, w.user_id, Reason.commented);
  await notify(deps, caller, issue, comment, to);
  await createSocialRepository(caller.db).touchWatchings(caller.orgId, issue.id, caller.userId, deps.kernel.clock.now().toISOString());
}

/** `POST /issues/:i/comments/:c/notifications`: the comment's author asks these members to look. */
export async function commentNotified(deps: ProjectsDeps, caller: Caller, issue: IssueRow, comment: { id: number; content: string | null }, userIds: readonly number[]) {
  const to = new Map<number, number>();
  for (const id of userIds) addOnce(to, id, Reason.commented);
  await notify(deps, caller, issue, comment, to);
}

export async function issueDeleted(deps: ProjectsDeps, caller: Caller, issue: IssueRow) {
  // Stars of the issue and of its (cascade-deleted) comments go with it: nobody keeps a star on nothing.
  const social = createSocialRepository(caller.db);
  await social.deleteStarsOn(caller.orgId, 'issue', issue.id);
  await social.deleteOrphanCommentStars(caller.orgId);
  // Its attachment rows went by cascade; their bytes must not outlive them.
  await createAttachmentsRepository(caller.db).deleteOrphanBlobs(caller.orgId);
  await recordActivity(deps, caller, { projectId: issue.project_id, type: ActivityType.issueDeleted, content: issueContent(issue) });
}

/** Recently viewed issues, projects and wiki pages (`/users/myself/recentlyViewed*`). */
export async function recordView(deps: ProjectsDeps, caller: Caller, kind: 'issue' | 'project' | 'wiki', targetId: number) {
  await createSocialRepository(caller.db)
    .recordView(caller.orgId, caller.userId, kind, targetId, deps.kernel.clock.now().toISOString())
    .catch(() => undefined); // a concurrent view of the same item already wrote the row
}
