import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addComment, getComment, listComments, updateComment, updateIssue } from '../issue-updates.service';
import { ISSUE_SORTS, type IssueSort } from '../issues.repository';
import { countIssues, createIssue, deleteIssue, findIssueScope, listIssues, toViews } from '../issues.service';
import { loadSpaceUsers, type ProjectsDeps } from '../spaces.service';
import { presentComment, presentIssue } from './backlog.presenter';
import { bool, date, hours, int, intList, nullableDate, nullableInt, paramsOf, parseParams, text } from './params';
import { callerOf } from './plugin';
import { customValuesOf } from '../custom-fields/index';
import { customFiltersOf } from '../custom-fields/custom-filters';
import { issueDeleted, recordView } from '../social/issue-events';

const filterFields = {
  projectId: intList.optional(),
  id: intList.optional(),
  statusId: intList.optional(),
  assigneeId: intList.optional(),
  issueTypeId: intList.optional(),
  priorityId: intList.optional(),
  createdUserId: intList.optional(),
  parentIssueId: intList.optional(),
  categoryId: intList.optional(),
  versionId: intList.optional(),
  milestoneId: intList.optional(),
  keyword: text(255).optional(),
  parentChild: int.pipe(z.number().min(0).max(10)).optional(),
  sharedFile: bool.optional(),
  resolutionId: intList.optional(),
  attachment: bool.optional(),
  hasDueDate: bool.optional(),
  createdSince: date.optional(),
  createdUntil: date.optional(),
  updatedSince: date.optional(),
  updatedUntil: date.optional(),
  startDateSince: date.optional(),
  startDateUntil: date.optional(),
  dueDateSince: date.optional(),
  dueDateUntil: date.optional(),
};
const countQuery = z.object(filterFields);
const listQuery = z.object({
  ...filterFields,
  sort: z.enum(Object.keys(ISSUE_SORTS) as [IssueSort, ...IssueSort[]]).default('updated'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: int.pipe(z.number().min(0)).default(0),
  count: int.pipe(z.number().min(1).max(100)).default(20),
});
const editable = {
  description: text(100_000).optional(),
  startDate: date.optional(),
  dueDate: date.optional(),
  estimatedHours: hours.optional(),
  actualHours: hours.optional(),
  categoryId: intList.optional(),
  versionId: intList.optional(),
  milestoneId: intList.optional(),
  assigneeId: nullableInt.optional(),
  parentIssueId: nullableInt.optional(),
  attachmentId: intList.optional(),
  notifiedUserId: intList.optional(),
};
const newIssue = z.object({ projectId: int, summary: z.string().trim().min(1).max(255), issueTypeId: int, priorityId: int, ...editable });
const issuePatch = z.object({
  ...editable,
  summary: z.string().trim().min(1).max(255).optional(),
  issueTypeId: int.optional(),
  priorityId: int.optional(),
  statusId: int.optional(),
  resolutionId: nullableInt.optional(),
  startDate: nullableDate.optional(),
  dueDate: nullableDate.optional(),
  comment: text(100_000).optional(),
});
const commentsQuery = z.object({
  minId: int.optional(),
  maxId: int.optional(),
  count: int.pipe(z.number().min(1).max(100)).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
});
const contentBody = z.object({ content: z.string().min(1, 'is required').max(100_000) });
const newComment = contentBody.extend({ notifiedUserId: intList.optional(), attachmentId: intList.optional() });
const commentId = z.object({ commentId: int });

type I = { Params: { issueIdOrKey: string } };
type IC = { Params: { issueIdOrKey: string; commentId: string } };

const filterOf = (q: z.output<typeof countQuery>) => ({
  projectIds: q.projectId,
  ids: q.id,
  statusIds: q.statusId,
  assigneeIds: q.assigneeId,
  issueTypeIds: q.issueTypeId,
  priorityIds: q.priorityId,
  createdUserIds: q.createdUserId,
  parentIssueIds: q.parentIssueId,
  categoryIds: q.categoryId,
  versionIds: q.versionId,
  milestoneIds: q.milestoneId,
  keyword: q.keyword,
  parentChild: q.parentChild,
  sharedFile: q.sharedFile,
  resolutionIds: q.resolutionId,
  attachment: q.attachment,
  hasDueDate: q.hasDueDate,
  created: { since: q.createdSince, until: q.createdUntil },
  updated: { since: q.updatedSince, until: q.updatedUntil },
  startDate: { since: q.startDateSince, until: q.startDateUntil },
  dueDate: { since: q.dueDateSince, until: q.dueDateUntil },
});

/** Issues and comments. `issues/count` is a literal route, matched before `issues/:issueIdOrKey`. */
export function issueRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.get('/issues', async (request) => {
      const caller = callerOf(request);
      const params = paramsOf(request);
      const q = parseParams(listQuery, params);
      const customFields = await customFiltersOf(caller, params);
      const views = await listIssues(caller, { ...filterOf(q), customFields, sort: q.sort, order: q.order, offset: q.offset, count: q.count });
      const users = await loadSpaceUsers(deps, caller);
      return views.map((v) => presentIssue(v, users, caller.access.account.locale));
    });

    api.get('/issues/count', async (request) => {
      const caller = callerOf(request);
      const params = paramsOf(request);
      return { count: await countIssues(caller, { ...filterOf(parseParams(countQuery, params)), customFields: await customFiltersOf(caller, params) }) };
    });

    api.post('/issues', async (request, reply) => {
      const caller = callerOf(request);
      const params = paramsOf(request);
      const view = await createIssue(deps, caller, { ...parseParams(newIssue, params), customFields: customValuesOf(params) });
      return reply.status(201).send(presentIssue(view, await loadSpaceUsers(deps, caller), caller.access.account.locale));
    });

    api.get<I>('/issues/:issueIdOrKey', async (request) => {
      const caller = callerOf(request);
      const { issue } = await findIssueScope(caller, request.params.issueIdOrKey);
      await recordView(deps, caller, 'issue', issue.id);
      const [view] = await toViews(caller, [issue]);
      return presentIssue(view as NonNullable<typeof view>, await loadSpaceUsers(deps, caller), caller.access.account.locale);
    });

    api.patch<I>('/issues/:issueIdOrKey', async (request) => {
      const caller = callerOf(request);
      const params = paramsOf(request);
      const input = { ...parseParams(issuePatch, params), customFields: customValuesOf(params) };
      const users = await loadSpaceUsers(deps, caller);
      return presentIssue(await updateIssue(deps, caller, request.params.issueIdOrKey, input, users), users, caller.access.account.locale);
    });

    api.delete<I>('/issues/:issueIdOrKey', async (request) => {
      const caller = callerOf(request);
      const view = await deleteIssue(caller, request.params.issueIdOrKey);
      await issueDeleted(deps, caller, view.issue);
      return presentIssue(view, await loadSpaceUsers(deps, caller), caller.access.account.locale);
    });

    api.get<I>('/issues/:issueIdOrKey/comments', async (request) => {
      const caller = callerOf(request);
      const views = await listComments(caller, request.params.issueIdOrKey, parseParams(commentsQuery, paramsOf(request)));
      const users = await loadSpaceUsers(deps, caller);
      return views.map((v) => presentComment(v, users));
    });

    api.post<I>('/issues/:issueIdOrKey/comments', async (request, reply) => {
      const caller = callerOf(request);
      const { content, notifiedUserId, attachmentId } = parseParams(newComment, paramsOf(request));
      const view = await addComment(deps, caller, request.params.issueIdOrKey, content, notifiedUserId, attachmentId);
      return reply.status(201).send(presentComment(view, await loadSpaceUsers(deps, caller)));
    });

    api.get<IC>('/issues/:issueIdOrKey/comments/:commentId', async (request) => {
      const caller = callerOf(request);
      const { commentId: id } = parseParams(commentId, request.params);
      return presentComment(await getComment(caller, request.params.issueIdOrKey, id), await loadSpaceUsers(deps, caller));
    });

    api.patch<IC>('/issues/:issueIdOrKey/comments/:commentId', async (request) => {
      const caller = callerOf(request);
      const { commentId: id } = parseParams(commentId, request.params);
      const { content } = parseParams(contentBody, paramsOf(request));
      return presentComment(await updateComment(deps, caller, request.params.issueIdOrKey, id, content), await loadSpaceUsers(deps, caller));
    });
  };
}
