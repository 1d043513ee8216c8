import type { ExpressionBuilder, Kysely, Updateable } from 'kysely';
import { toCount } from '../../kernel/dialect';
import type { IssueLinkKind, IssueTable, NewIssue, ProjectsDb } from './projects.db';
import { searchDialect } from './search/index';
import { customFieldCondition, type CustomFieldFilter } from './custom-fields/custom-filters';

export const ISSUE_SORTS = {
  created: 'issues.created_at',
  updated: 'issues.updated_at',
  summary: 'issues.summary',
  status: 'issues.status_id',
  priority: 'issues.priority_id',
  issueType: 'issues.issue_type_id',
  assignee: 'issues.assignee_id',
  startDate: 'issues.start_date',
  dueDate: 'issues.due_date',
  estimatedHours: 'issues.estimated_hours',
  actualHours: 'issues.actual_hours',
  createdUser: 'issues.created_user_id',
  updatedUser: 'issues.updated_user_id',
} as const;
export type IssueSort = keyof typeof ISSUE_SORTS;

/** `projectIds` is already cut down to what the caller may see; an empty list matches nothing. */
export interface IssueFilter {
  projectIds: readonly number[];
  ids?: readonly number[] | undefined;
  statusIds?: readonly number[] | undefined;
  assigneeIds?: readonly number[] | undefined;
  issueTypeIds?: readonly number[] | undefined;
  priorityIds?: readonly number[] | undefined;
  createdUserIds?: readonly number[] | undefined;
  parentIssueIds?: readonly number[] | undefined;
  categoryIds?: readonly number[] | undefined;
  versionIds?: readonly number[] | undefined;
  milestoneIds?: readonly number[] | undefined;
  keyword?: string | undefined;
  /** `customField_N` conditions (custom-fields/custom-filters.ts). */
  customFields?: readonly CustomFieldFilter[] | undefined;
  /** Backlog's ParentChildType 0–10 (issues have at most two levels here, so there are no grandchildren). */
  parentChild?: number | undefined;
  /** Backlog's `sharedFile`: true = issues with linked shared files, false = issues without. */
  sharedFile?: boolean | undefined;
  resolutionIds?: readonly number[] | undefined;
  /** Backlog's `attachment`: true = issues with attached files, false = issues without. */
  attachment?: boolean | undefined;
  hasDueDate?: boolean | undefined;
  /** Inclusive `yyyy-MM-dd` ranges (Backlog's `createdSince`/`createdUntil`, …), in UTC. */
  created?: DateRange | undefined;
  updated?: DateRange | undefined;
  startDate?: DateRange | undefined;
  dueDate?: DateRange | undefined;
}

export interface DateRange {
  since?: string | undefined;
  until?: string | undefined;
}

export interface IssuePage {
  sort: IssueSort;
  order: 'asc' | 'desc';
  offset: number;
  count: number;
}

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Every SQL statement for issues, their links and their comments. Every read filters by org (W7.7). */
export function createIssuesRepository(db: Kysely<ProjectsDb>) {
  const search = searchDialect(db);
  const filtered = (orgId: string, filter: IssueFilter) => {
    let query = db.selectFrom('issues').where('issues.org_id', '=', orgId).where('issues.project_id', 'in', filter.projectIds.length ? filter.projectIds : [-1]);
    const inList = (column: 'id' | 'status_id' | 'assignee_id' | 'issue_type_id' | 'priority_id' | 'created_user_id' | 'parent_issue_id' | 'resolution_id', values?: readonly number[]) => {
      if (values?.length) query = query.where(`issues.${column}`, 'in', values);
    };
    inList('id', filter.ids);
    inList('status_id', filter.statusIds);
    inList('assignee_id', filter.assigneeIds);
    inList('issue_type_id', filter.issueTypeIds);
    inList('priority_id', filter.priorityIds);
    inList('created_user_id', filter.createdUserIds);
    inList('parent_issue_id', filter.parentIssueIds);
    inList('resolution_id', filter.resolutionIds);
    // Timestamps are ISO-8601 text and dates `yyyy-MM-dd` text on both dialects, so text comparison orders them.
    const between = (column: 'created_at' | 'updated_at' | 'start_date' | 'due_date', range: DateRange | undefined, timestamp: boolean) => {
      if (range?.since) query = query.where(`issues.${column}`, '>=', range.since);
      if (range?.until) query = query.where(`issues.${column}`, timestamp ? '<' : '<=', timestamp ? dayAfter(range.until) : range.until);
    };
    between('created_at', filter.created, true);
    between('updated_at', filter.updated, true);
    between('start_date', filter.startDate, false);
    between('due_date', filter.dueDate, false);
    if (filter.hasDueDate !== undefined) query = query.where('issues.due_date', filter.hasDueDate ? 'is not' : 'is', null);
    const linked = (kind: IssueLinkKind, values?: readonly number[]) => {
      if (!values?.length) return;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('issue_links')
            .select('issue_links.issue_id')
            .whereRef('issue_links.issue_id', '=', 'issues.id')
            .where('issue_links.kind', '=', kind)
            .where('issue_links.target_id', 'in', values),
        ),
      );
    };
    linked('category', filter.categoryIds);
    linked('version', filter.versionIds);
    linked('milestone', filter.milestoneIds);
    // Full-text: summary, description and comments, substring semantics on both dialects (search/).
    if (filter.keyword) query = query.where(search.issueMatches(filter.keyword));
    for (const f of filter.customFields ?? []) query = query.where((eb) => customFieldCondition(eb, f));
    const pc = filter.parentChild ?? 0;
    const hasChildren = (eb: ExpressionBuilder<ProjectsDb, 'issues'>) =>
      eb.exists(eb.selectFrom('issues as child').select('child.id').whereRef('child.parent_issue_id', '=', 'issues.id').where('child.org_id', '=', orgId));
    if (pc === 1 || pc === 7) query = query.where('issues.parent_issue_id', 'is', null);
    if (pc === 2 || pc === 6 || pc === 9) query = query.where('issues.parent_issue_id', 'is not', null);
    if (pc === 3) query = query.where('issues.parent_issue_id', 'is', null).where((eb) => eb.not(hasChildren(eb)));
    if (pc === 4) query = query.where((eb) => hasChildren(eb));
    if (pc === 5) query = query.where('issues.id', '=', -1);
    if (pc === 10) query = query.where((eb) => eb.not(hasChildren(eb)));
    if (filter.sharedFile !== undefined) {
      const hasSharedFile = (eb: ExpressionBuilder<ProjectsDb, 'issues'>) =>
        eb.exists(eb.selectFrom('shared_file_links').select('shared_file_links.id').whereRef('shared_file_links.issue_id', '=', 'issues.id').where('shared_file_links.org_id', '=', orgId));
      query = query.where((eb) => (filter.sharedFile ? hasSharedFile(eb) : eb.not(hasSharedFile(eb))));
    }
    if (filter.attachment !== undefined) {
      const hasAttachment = (eb: ExpressionBuilder<ProjectsDb, 'issues'>) =>
        eb.exists(eb.selectFrom('attachments').select('attachments.id').whereRef('attachments.issue_id', '=', 'issues.id').where('attachments.org_id', '=', orgId));
      query = query.where((eb) => (filter.attachment ? hasAttachment(eb) : eb.not(hasAttachment(eb))));
    }
    return query;
  };

  return {
    insert: (row: NewIssue) => db.insertInto('issues').values(row).returningAll().executeTakeFirstOrThrow(),

    findById: (orgId: string, id: number) => db.selectFrom('issues').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    findByKey: (orgId: string, projectId: number, keyId: number) =>
      db.selectFrom('issues').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).where('key_id', '=', keyId).executeTakeFirst(),

    list: (orgId: string, filter: IssueFilter, page: IssuePage) =>
      filtered(orgId, filter)
        .selectAll('issues')
        .orderBy(ISSUE_SORTS[page.sort], page.order)
        .orderBy('issues.id', page.order)
        .limit(page.count)
        .offset(page.offset)
        .execute(),

    count: async (orgId: string, filter: IssueFilter) => {
      const row = await filtered(orgId, filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return toCount(row?.n);
    },

    update: (orgId: string, id: number, changes: Updateable<IssueTable>) =>
      db.updateTable('issues').set(changes).where('org_id', '=', orgId).where('id', '=', id).execute(),

    delete: (orgId: string, id: number) => db.deleteFrom('issues').where('org_id', '=', orgId).where('id', '=', id).execute(),

    /** Issues of a deleted status move to its substitute. */
    reassignStatus: (orgId: string, projectId: number, from: number, to: number) =>
      db.updateTable('issues').set({ status_id: to }).where('org_id', '=', orgId).where('project_id', '=', projectId).where('status_id', '=', from).execute(),

    /** Issues of a deleted issue type move to its substitute. */
    reassignIssueType: (orgId: string, projectId: number, from: number, to: number) =>
      db.updateTable('issues').set({ issue_type_id: to }).where('org_id', '=', orgId).where('project_id', '=', projectId).where('issue_type_id', '=', from).execute(),

    /** Parent links of children die with the parent, as in Backlog. */
    detachChildren: (orgId: string, parentId: number) =>
      db.updateTable('issues').set({ parent_issue_id: null }).where('org_id', '=', orgId).where('parent_issue_id', '=', parentId).execute(),

    linksOf: (orgId: string, issueIds: readonly number[]) =>
      issueIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('issue_links').selectAll().where('org_id', '=', orgId).where('issue_id', 'in', issueIds).execute(),

    replaceLinks: async (orgId: string, issueId: number, kind: IssueLinkKind, targetIds: readonly number[]) => {
      await db.deleteFrom('issue_links').where('org_id', '=', orgId).where('issue_id', '=', issueId).where('kind', '=', kind).execute();
      if (targetIds.length === 0) return;
      await db
        .insertInto('issue_links')
        .values([...new Set(targetIds)].map((target_id) => ({ org_id: orgId, issue_id: issueId, kind, target_id })))
        .execute();
    },

    insertComment: (row: { org_id: string; issue_id: number; content: string | null; created_user_id: number; created_at: string }) =>
      db
        .insertInto('comments')
        .values({ ...row, updated_at: row.created_at })
        .returningAll()
        .executeTakeFirstOrThrow(),

    insertChanges: async (orgId: string, commentId: number, changes: readonly { field: string; newValue: string | null; originalValue: string | null; attributeId?: number | undefined; attributeTypeId?: number | undefined; attachmentId?: number | undefined }[]) => {
      if (changes.length === 0) return;
      await db
        .insertInto('comment_changes')
        .values(
          changes.map((c, position) => ({
            org_id: orgId,
            comment_id: commentId,
            position,
            field: c.field,
            new_value: c.newValue,
            original_value: c.originalValue,
            attribute_id: c.attributeId ?? null,
            attribute_type_id: c.attributeTypeId ?? null,
            attachment_id: c.attachmentId ?? null,
          })),
        )
        .execute();
    },

    findComment: (orgId: string, issueId: number, commentId: number) =>
      db.selectFrom('comments').selectAll().where('org_id', '=', orgId).where('issue_id', '=', issueId).where('id', '=', commentId).executeTakeFirst(),

    /** Cursor paging as Backlog does it: `minId`/`maxId` exclusive bounds, newest first by default. */
    listComments: (orgId: string, issueId: number, page: { minId?: number | undefined; maxId?: number | undefined; count: number; order: 'asc' | 'desc' }) => {
      let query = db.selectFrom('comments').selectAll().where('org_id', '=', orgId).where('issue_id', '=', issueId);
      if (page.minId !== undefined) query = query.where('id', '>', page.minId);
      if (page.maxId !== undefined) query = query.where('id', '<', page.maxId);
      return query.orderBy('id', page.order).limit(page.count).execute();
    },

    updateComment: (orgId: string, commentId: number, content: string, at: string) =>
      db.updateTable('comments').set({ content, updated_at: at }).where('org_id', '=', orgId).where('id', '=', commentId).execute(),

    countComments: async (orgId: string, issueId: number) => {
      const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).where('issue_id', '=', issueId).executeTakeFirst();
      return toCount(row?.n);
    },

    commentsByIds: (orgId: string, commentIds: readonly number[]) =>
      commentIds.length === 0 ? Promise.resolve([]) : db.selectFrom('comments').selectAll().where('org_id', '=', orgId).where('id', 'in', commentIds).execute(),

    deleteComment: (orgId: string, commentId: number) => db.deleteFrom('comments').where('org_id', '=', orgId).where('id', '=', commentId).execute(),

    /** Who took part in an issue: its creator and everyone who commented or changed it (each change is a comment). */
    participantIds: async (orgId: string, issue: { id: number; created_user_id: number }) => {
      const rows = await db.selectFrom('comments').select('created_user_id').distinct().where('org_id', '=', orgId).where('issue_id', '=', issue.id).execute();
      return [...new Set([issue.created_user_id, ...rows.map((r) => r.created_user_id)])];
    },

    changesOf: (orgId: string, commentIds: readonly number[]) =>
      commentIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('comment_changes').selectAll().where('org_id', '=', orgId).where('comment_id', 'in', commentIds).orderBy('comment_id').orderBy('position').execute(),
  };
}

export type IssuesRepository = ReturnType<typeof createIssuesRepository>;
