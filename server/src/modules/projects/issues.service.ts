import { badRequest, forbidden, notFound } from '../../kernel/errors';
import type { CategoryRow, IssueLinkKind, IssueRow, IssueTypeRow, ProjectRow, StatusRow, VersionRow } from './projects.db';
import { canSeeProject, requireProject } from './projects.policy';
import { createProjectsRepository } from './projects.repository';
import { findProjectScope, type ProjectScope } from './projects.service';
import { createIssuesRepository, type IssueFilter, type IssuePage } from './issues.repository';
import { loadSpaceUsers, type Caller, type ProjectsDeps, type SpaceUser } from './spaces.service';
import { loadIssueExtras, type IssueExtras } from './issue-extras';
import { planCustomValues, writeCustomValues, type CustomValueInput } from './custom-fields/index';
import { attachToIssue, pendingAttachments } from './attachments/index';
import { issueCreated } from './social/issue-events';

/** Backlog's fixed priorities and resolutions (the same ids in every space). */
export const PRIORITIES = [
  { id: 2, name: 'High' },
  { id: 3, name: 'Normal' },
  { id: 4, name: 'Low' },
] as const;
export const RESOLUTIONS = [
  { id: 0, name: 'Fixed' },
  { id: 1, name: "Won't Fix" },
  { id: 2, name: 'Invalid' },
  { id: 3, name: 'Duplication' },
  { id: 4, name: 'Cannot Reproduce' },
] as const;

/**
 * Issue 15 §5: priorities and resolutions are space-wide constants in Backlog's API (`/api/v2/priorities`,
 * `/resolutions`), so their ids stay fixed and only their names follow the reading account's language,
 * as Backlog's own API answers a Japanese-language user with 高/中/低. Change-log entries keep the English names.
 */
type Named = { readonly id: number; readonly name: string };

/** Both languages' lists, built once: every presented issue looks its priority and resolution up here. */
function inEachLanguage(items: readonly Named[], ja: Record<number, string>): Record<'en' | 'ja', readonly Named[]> {
  return {
    en: items.map((item) => ({ id: item.id, name: item.name })),
    ja: items.map((item) => ({ id: item.id, name: ja[item.id] ?? item.name })),
  };
}
const PRIORITY_NAMES = inEachLanguage(PRIORITIES, { 2: '高', 3: '中', 4: '低' });
const RESOLUTION_NAMES = inEachLanguage(RESOLUTIONS, { 0: '対応済み', 1: '対応しない', 2: '無効', 3: '重複', 4: '再現しない' });

export const prioritiesIn = (locale: string) => (locale === 'ja' ? PRIORITY_NAMES.ja : PRIORITY_NAMES.en);
export const resolutionsIn = (locale: string) => (locale === 'ja' ? RESOLUTION_NAMES.ja : RESOLUTION_NAMES.en);

/** What a project's issues refer to, loaded once per request. */
export interface ProjectMeta {
  readonly project: ProjectRow;
  readonly issueTypes: Map<number, IssueTypeRow>;
  readonly statuses: Map<number, StatusRow>;
  readonly categories: Map<number, CategoryRow>;
  readonly versions: Map<number, VersionRow>;
}

/** Issues with everything their wire shape names. */
export interface IssueView {
  readonly issue: IssueRow;
  readonly meta: ProjectMeta;
  readonly links: Record<IssueLinkKind, number[]>;
  /** Custom-field values, attachments, shared files and stars (issue-extras.ts). */
  readonly extras?: IssueExtras | undefined;
}

export interface IssuesLookup {
  readonly users: Map<number, SpaceUser>;
}

export async function loadProjectMeta(caller: Caller, project: ProjectRow): Promise<ProjectMeta> {
  const repo = createProjectsRepository(caller.db);
  const [types, statuses, categories, versions] = await Promise.all([
    repo.listIssueTypes(caller.orgId, project.id),
    repo.listStatuses(caller.orgId, project.id),
    repo.listCategories(caller.orgId, project.id),
    repo.listVersions(caller.orgId, project.id),
  ]);
  return {
    project,
    issueTypes: new Map(types.map((t) => [t.id, t])),
    statuses: new Map(statuses.map((s) => [s.status_id, s])),
    categories: new Map(categories.map((c) => [c.id, c])),
    versions: new Map(versions.map((v) => [v.id, v])),
  };
}

export async function toViews(caller: Caller, issues: readonly IssueRow[], metas = new Map<number, ProjectMeta>()): Promise<IssueView[]> {
  const projects = createProjectsRepository(caller.db);
  for (const projectId of new Set(issues.map((i) => i.project_id))) {
    if (metas.has(projectId)) continue;
    const project = await projects.findById(caller.orgId, projectId);
    if (project) metas.set(projectId, await loadProjectMeta(caller, project));
  }
  const links = await createIssuesRepository(caller.db).linksOf(caller.orgId, issues.map((i) => i.id));
  const extras = await loadIssueExtras(caller, issues);
  return issues.flatMap((issue) => {
    const meta = metas.get(issue.project_id);
    if (!meta) return [];
    const own = links.filter((l) => l.issue_id === issue.id);
    const pick = (kind: IssueLinkKind) => own.filter((l) => l.kind === kind).map((l) => l.target_id);
    return [{ issue, meta, links: { category: pick('category'), version: pick('version'), milestone: pick('milestone') }, extras: extras.get(issue.id) }];
  });
}

export const issueNotFound = () => notFound('issue.not_found', 'No issue.');

/** `KEY-12` or a numeric id; an issue in a project the caller cannot see does not exist (W7.7). */
export async function findIssueScope(caller: Caller, idOrKey: string): Promise<{ issue: IssueRow; scope: ProjectScope }> {
  const repo = createIssuesRepository(caller.db);
  let issue: IssueRow | undefined;
  if (/^\d+$/.test(idOrKey)) issue = await repo.findById(caller.orgId, Number(idOrKey));
  else {
    const match = /^([A-Z][A-Z0-9_]*)-(\d+)$/.exec(idOrKey);
    if (match?.[1] && match[2]) {
      const project = await createProjectsRepository(caller.db).findByKey(caller.orgId, match[1]);
      if (project) issue = await repo.findByKey(caller.orgId, project.id, Number(match[2]));
    }
  }
  if (!issue) throw issueNotFound();
  const project = await createProjectsRepository(caller.db).findById(caller.orgId, issue.project_id);
  const member = project ? await createProjectsRepository(caller.db).findMember(caller.orgId, project.id, caller.userId) : undefined;
  if (!project || !canSeeProject({ caller, member })) throw issueNotFound();
  return { issue, scope: { caller, project, member } };
}

export interface IssueFields {
  summary?: string | undefined;
  description?: string | undefined;
  issueTypeId?: number | undefined;
  priorityId?: number | undefined;
  statusId?: number | undefined;
  resolutionId?: number | null | undefined;
  assigneeId?: number | null | undefined;
  parentIssueId?: number | null | undefined;
  startDate?: string | null | undefined;
  dueDate?: string | null | undefined;
  estimatedHours?: number | null | undefined;
  actualHours?: number | null | undefined;
  categoryId?: number[] | undefined;
  versionId?: number[] | undefined;
  milestoneId?: number[] | undefined;
  /** `customField_N` values (custom-fields/). */
  customFields?: readonly CustomValueInput[] | undefined;
  /** Pending uploads to attach (`attachmentId[]`, attachments/). */
  attachmentId?: number[] | undefined;
  /** Users to notify (`notifiedUserId[]`, social/). */
  notifiedUserId?: number[] | undefined;
}

const invalid = (what: string) => badRequest('issue.invalid_reference', `No such ${what} in this project.`);

/** Every id an issue refers to must belong to its project (and so to the caller's org). */
async function checkReferences(scope: ProjectScope, meta: ProjectMeta, fields: IssueFields, selfId?: number) {
  if (fields.issueTypeId !== undefined && !meta.issueTypes.has(fields.issueTypeId)) throw invalid('issue type');
  if (fields.statusId !== undefined && !meta.statuses.has(fields.statusId)) throw invalid('status');
  if (fields.priorityId !== undefined && !PRIORITIES.some((p) => p.id === fields.priorityId)) throw invalid('priority');
  if (fields.resolutionId != null && !RESOLUTIONS.some((r) => r.id === fields.resolutionId)) throw invalid('resolution');
  for (const id of fields.categoryId ?? []) if (!meta.categories.has(id)) throw invalid('category');
  for (const id of [...(fields.versionId ?? []), ...(fields.milestoneId ?? [])]) if (!meta.versions.has(id)) throw invalid('version');
  if (fields.assigneeId != null) {
    const member = await createProjectsRepository(scope.caller.db).findMember(scope.caller.orgId, scope.project.id, fields.assigneeId);
    if (!member) throw badRequest('issue.invalid_assignee', 'The assignee must be a member of the project.');
  }
  if (fields.parentIssueId != null) {
    if (scope.project.subtasking_enabled !== 1) throw badRequest('issue.subtasking_disabled', 'Subtasking is turned off in this project.');
    const parent = await createIssuesRepository(scope.caller.db).findById(scope.caller.orgId, fields.parentIssueId);
    if (!parent || parent.project_id !== scope.project.id) throw invalid('parent issue');
    if (parent.id === selfId || parent.parent_issue_id !== null) throw badRequest('issue.invalid_parent', 'The parent must be another issue that is not itself a child.');
  }
  const start = fields.startDate;
  const due = fields.dueDate;
  if (start && due && start > due) throw badRequest('issue.invalid_dates', 'The due date must not be before the start date.');
}

export interface NewIssueInput extends IssueFields {
  projectId: number;
  summary: string;
  issueTypeId: number;
  priorityId: number;
}

export async function createIssue(deps: ProjectsDeps, caller: Caller, input: NewIssueInput): Promise<IssueView> {
  const scope = await findProjectScope(caller, String(input.projectId));
  requireProject(scope, 'issue:create');
  if (scope.project.archived) throw badRequest('project.archived', 'The project is archived.');
  const meta = await loadProjectMeta(caller, scope.project);
  await checkReferences(scope, meta, input);
  const custom = await planCustomValues(caller, scope.project.id, input.issueTypeId, input.customFields ?? [], null);
  const files = await pendingAttachments(deps, caller, input.attachmentId);
  const now = deps.kernel.clock.now().toISOString();
  const issue = await caller.db.transaction().execute(async (trx) => {
    const keyId = await createProjectsRepository(trx).nextKeyId(caller.orgId, scope.project.id);
    const repo = createIssuesRepository(trx);
    const row = await repo.insert({
      org_id: caller.orgId,
      project_id: scope.project.id,
      key_id: keyId,
      issue_type_id: input.issueTypeId,
      summary: input.summary.trim(),
      description: input.description ?? '',
      resolution_id: input.resolutionId ?? null,
      priority_id: input.priorityId,
      status_id: 1,
      assignee_id: input.assigneeId ?? null,
      start_date: input.startDate ?? null,
      due_date: input.dueDate ?? null,
      estimated_hours: input.estimatedHours ?? null,
      actual_hours: input.actualHours ?? null,
      parent_issue_id: input.parentIssueId ?? null,
      created_user_id: caller.userId,
      created_at: now,
      updated_user_id: caller.userId,
      updated_at: now,
    });
    await repo.replaceLinks(caller.orgId, row.id, 'category', input.categoryId ?? []);
    await repo.replaceLinks(caller.orgId, row.id, 'version', input.versionId ?? []);
    await repo.replaceLinks(caller.orgId, row.id, 'milestone', input.milestoneId ?? []);
    await writeCustomValues(trx, caller.orgId, row.id, custom);
    await attachToIssue(trx, caller.orgId, files, row.id, scope.project.id);
    return row;
  });
  await issueCreated(deps, caller, issue, input.notifiedUserId);
  return (await toViews(caller, [issue], new Map([[scope.project.id, meta]])))[0] as IssueView;
}

export interface IssueQuery extends Omit<IssueFilter, 'projectIds'>, IssuePage {
  projectIds?: readonly number[] | undefined;
}

/** Only projects the caller can see ever take part, whatever `projectId[]` asks for (W7.7). */
async function visibleFilter(caller: Caller, query: Omit<IssueQuery, keyof IssuePage>): Promise<IssueFilter> {
  const repo = createProjectsRepository(caller.db);
  const visible = await repo.list(caller.orgId, caller.roleType === 1 ? {} : { memberUserId: caller.userId });
  const wanted = query.projectIds?.length ? new Set(query.projectIds) : null;
  return { ...query, projectIds: visible.map((p) => p.id).filter((id) => !wanted || wanted.has(id)) };
}

export async function listIssues(caller: Caller, query: IssueQuery): Promise<IssueView[]> {
  const filter = await visibleFilter(caller, query);
  const rows = await createIssuesRepository(caller.db).list(caller.orgId, filter, query);
  return toViews(caller, rows);
}

export async function countIssues(caller: Caller, query: Omit<IssueQuery, keyof IssuePage>): Promise<number> {
  return createIssuesRepository(caller.db).count(caller.orgId, await visibleFilter(caller, query));
}

/** Backlog lets admins, project admins and the issue's creator delete it. */
export async function deleteIssue(caller: Caller, idOrKey: string): Promise<IssueView> {
  const { issue, scope } = await findIssueScope(caller, idOrKey);
  requireProject(scope, 'issue:delete');
  const privileged = caller.roleType === 1 || (scope.member?.is_admin === 1 && !caller.isGuest);
  if (!privileged && issue.created_user_id !== caller.userId) throw forbidden('Only administrators and the issue creator can delete it.', 'issue.forbidden');
  const [view] = await toViews(caller, [issue]);
  await caller.db.transaction().execute(async (trx) => {
    const repo = createIssuesRepository(trx);
    await repo.detachChildren(caller.orgId, issue.id);
    await repo.delete(caller.orgId, issue.id);
  });
  return view as IssueView;
}

export { checkReferences, loadSpaceUsers };
