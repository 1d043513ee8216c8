import type { OrgAccess } from '../../identity';
import type { CategoryRow, IssueTypeRow, ProjectRow, SpaceRow, StatusRow, VersionRow } from '../projects.db';
import type { CommentView } from '../issue-updates.service';
import { prioritiesIn, resolutionsIn, type IssueView } from '../issues.service';
import type { SpaceUser } from '../spaces.service';
import type { NotificationRow } from '../social/social.db';
import { presentSharedFile } from '../shared-files/shared-files.presenter';

/**
 * Rows → the JSON shapes of backlog-js's `Entity` types (research §6). Only the fields those types
 * name go out: org ids, account ids and internal counters never do.
 */
const iso = (timestamp: string) => timestamp.replace(/\.\d{3}Z$/, 'Z');
/** Date-only fields go out as midnight UTC, as Backlog writes them. */
const day = (date: string | null) => (date ? `${date}T00:00:00Z` : null);

export const presentSpace = (space: SpaceRow, access: OrgAccess, ownerId: number) => ({
  spaceKey: space.space_key,
  name: access.org.name,
  ownerId,
  lang: access.org.locale,
  timezone: 'UTC',
  reportSendTime: '08:00:00',
  textFormattingRule: 'markdown',
  created: iso(space.created_at),
  updated: iso(space.updated_at),
});

export const presentUser = (user: SpaceUser, lang: string | null = null) => ({
  id: user.id,
  userId: user.loginId ?? user.email ?? `user${user.id}`,
  name: user.name,
  roleType: user.roleType,
  lang,
  mailAddress: user.email,
  lastLoginTime: null,
});

const unknownUser = (id: number) => ({ id, userId: `user${id}`, name: 'deleted user', roleType: 2, lang: null, mailAddress: null, lastLoginTime: null });
const userOrUnknown = (users: Map<number, SpaceUser>, id: number) => {
  const user = users.get(id);
  return user ? presentUser(user) : unknownUser(id);
};

/** `Star`: `{ id, comment, url, title, presenter, created }` (stars live in social/). */
export const presentStar = (star: { id: number; url: string; title: string; user_id: number; created_at: string }, users: Map<number, SpaceUser>) => ({
  id: star.id,
  comment: null,
  url: star.url,
  title: star.title,
  presenter: userOrUnknown(users, star.user_id),
  created: iso(star.created_at),
});

export const presentProject = (p: ProjectRow) => ({
  id: p.id,
  projectKey: p.project_key,
  name: p.name,
  chartEnabled: p.chart_enabled === 1,
  useResolvedForChart: p.use_resolved_for_chart === 1,
  subtaskingEnabled: p.subtasking_enabled === 1,
  projectLeaderCanEditProjectLeader: p.project_leader_can_edit_project_leader === 1,
  useWiki: p.use_wiki === 1,
  useFileSharing: p.use_file_sharing === 1,
  useWikiTreeView: true,
  useOriginalImageSizeAtWiki: false,
  useSubversion: false,
  useGit: false,
  textFormattingRule: p.text_formatting_rule,
  archived: p.archived === 1,
  displayOrder: p.display_order,
  useDevAttributes: true,
});

export const presentIssueType = (t: IssueTypeRow) => ({
  id: t.id,
  projectId: t.project_id,
  name: t.name,
  color: t.color,
  displayOrder: t.display_order,
  templateSummary: null,
  templateDescription: null,
});

export const presentStatus = (s: StatusRow) => ({ id: s.status_id, projectId: s.project_id, name: s.name, color: s.color, displayOrder: s.display_order });
export const presentCategory = (c: CategoryRow) => ({ id: c.id, projectId: c.project_id, name: c.name, displayOrder: c.display_order });
export const presentVersion = (v: VersionRow) => ({
  id: v.id,
  projectId: v.project_id,
  name: v.name,
  description: v.description,
  startDate: day(v.start_date),
  releaseDueDate: day(v.release_due_date),
  archived: v.archived === 1,
  displayOrder: v.display_order,
});

/** Names in the reading account's language (issue 15 §5); ids never change. */
export const presentPriorities = (locale: string) => prioritiesIn(locale).map((p) => ({ ...p }));
export const presentResolutions = (locale: string) => resolutionsIn(locale).map((r) => ({ ...r }));

export function presentIssue(view: IssueView, users: Map<number, SpaceUser>, locale = 'en') {
  const { issue, meta, links } = view;
  const type = meta.issueTypes.get(issue.issue_type_id);
  const status = meta.statuses.get(issue.status_id);
  const resolution = resolutionsIn(locale).find((r) => r.id === issue.resolution_id);
  const versionsOf = (ids: number[]) => ids.flatMap((id) => (meta.versions.has(id) ? [presentVersion(meta.versions.get(id) as VersionRow)] : []));
  return {
    id: issue.id,
    projectId: issue.project_id,
    issueKey: `${meta.project.project_key}-${issue.key_id}`,
    keyId: issue.key_id,
    issueType: type ? presentIssueType(type) : null,
    summary: issue.summary,
    description: issue.description,
    resolution: resolution ? { ...resolution } : null,
    priority: { ...(prioritiesIn(locale).find((p) => p.id === issue.priority_id) ?? { id: issue.priority_id, name: '' }) },
    status: status ? presentStatus(status) : null,
    assignee: issue.assignee_id === null ? null : userOrUnknown(users, issue.assignee_id),
    category: links.category.flatMap((id) => (meta.categories.has(id) ? [presentCategory(meta.categories.get(id) as CategoryRow)] : [])),
    versions: versionsOf(links.version),
    milestone: versionsOf(links.milestone),
    startDate: day(issue.start_date),
    dueDate: day(issue.due_date),
    estimatedHours: issue.estimated_hours === null ? null : Number(issue.estimated_hours),
    actualHours: issue.actual_hours === null ? null : Number(issue.actual_hours),
    parentIssueId: issue.parent_issue_id,
    createdUser: userOrUnknown(users, issue.created_user_id),
    created: iso(issue.created_at),
    updatedUser: userOrUnknown(users, issue.updated_user_id),
    updated: iso(issue.updated_at),
    customFields: view.extras?.customFields ?? [],
    attachments: (view.extras?.attachments ?? []).map((a) => ({ id: a.id, name: a.name, size: a.size, createdUser: userOrUnknown(users, a.createdUserId), created: iso(a.created) })),
    sharedFiles: (view.extras?.sharedFiles ?? []).map((f) => presentSharedFile(f, users)),
    externalFileLinks: [],
    stars: (view.extras?.stars ?? []).map((star) => presentStar(star, users)),
  };
}

export const presentComment = (view: CommentView, users: Map<number, SpaceUser>) => ({
  id: view.comment.id,
  projectId: view.projectId,
  issueId: view.comment.issue_id,
  content: view.comment.content,
  changeLog: view.changes.map((c) => ({
    field: c.field,
    newValue: c.new_value,
    originalValue: c.original_value,
    attachmentInfo: c.attachment_id ? { id: c.attachment_id, type: 'file' } : null,
    attributeInfo: c.attribute_id ? { id: c.attribute_id, typeId: c.attribute_type_id } : null,
    notificationInfo: null,
  })),
  createdUser: userOrUnknown(users, view.comment.created_user_id),
  created: iso(view.comment.created_at),
  updated: iso(view.comment.updated_at),
  stars: (view.stars ?? []).map((star) => presentStar(star, users)),
  notifications: (view.notifications ?? []).map((n) => presentCommentNotification(n, users)),
});

/** backlog-js `CommentNotification`: who was notified of a comment, and whether they read it. */
export const presentCommentNotification = (n: NotificationRow, users: Map<number, SpaceUser>) => ({
  id: n.id,
  alreadyRead: n.already_read === 1,
  reason: n.reason,
  user: userOrUnknown(users, n.user_id),
  resourceAlreadyRead: n.resource_already_read === 1,
});
