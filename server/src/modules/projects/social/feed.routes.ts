import type { FastifyInstance } from 'fastify';
import { sendDefaultIcon } from '../backlog-api/icons';
import { createIssuesRepository } from '../issues.repository';
import { z } from 'zod';
import { notFound } from '../../../kernel/errors';
import { presentProject, presentUser } from '../backlog-api/backlog.presenter';
import { bool, int, intList, paramsOf, parseParams, text } from '../backlog-api/params';
import { callerOf } from '../backlog-api/plugin';
import { requireSpaceAdmin } from '../projects.policy';
import { createProjectsRepository } from '../projects.repository';
import { findProjectScope } from '../projects.service';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';
import type { ActivityRow, NotificationRow } from './social.db';
import { iso, presentedIssues, userJson } from './social.presenter';
import { createSocialRepository } from './social.repository';
import { cursor } from './social.routes';
import { issuesOf, requireSpaceUser, visibleProjectIds } from './social.service';

const activityQuery = cursor.extend({ activityTypeId: intList.optional() });
const pageQuery = z.object({ order: z.enum(['asc', 'desc']).default('desc'), offset: int.pipe(z.number().min(0)).default(0), count: int.pipe(z.number().min(1).max(100)).default(20) });
const userParam = z.object({ userId: int });
type U = { Params: { userId: string } };
type P = { Params: { projectIdOrKey: string } };


async function projectsById(caller: Caller, ids: readonly number[]) {
  const repo = createProjectsRepository(caller.db);
  const rows = await Promise.all([...new Set(ids)].map((id) => repo.findById(caller.orgId, id)));
  return new Map(rows.filter((p) => p !== undefined).map((p) => [p.id, presentProject(p)]));
}

async function presentActivities(deps: ProjectsDeps, caller: Caller, rows: readonly ActivityRow[]) {
  const [users, projects] = await Promise.all([loadSpaceUsers(deps, caller), projectsById(caller, rows.map((r) => r.project_id))]);
  return rows.map((r) => ({
    id: r.id,
    project: projects.get(r.project_id) ?? null,
    type: r.type,
    content: JSON.parse(r.content) as unknown,
    notifications: [],
    createdUser: userJson(users, r.created_user_id),
    created: iso(r.created_at),
  }));
}

async function presentNotifications(deps: ProjectsDeps, caller: Caller, rows: readonly NotificationRow[]) {
  const users = await loadSpaceUsers(deps, caller);
  const projects = await projectsById(caller, rows.map((r) => r.project_id));
  const issues = await presentedIssues(caller, await issuesOf(caller, rows.flatMap((r) => (r.issue_id ? [r.issue_id] : []))), users);
  const commentIds = rows.flatMap((r) => (r.comment_id ? [r.comment_id] : []));
  const comments = await createIssuesRepository(caller.db).commentsByIds(caller.orgId, commentIds);
  return rows.map((r) => {
    const comment = comments.find((c) => c.id === r.comment_id);
    return {
      id: r.id,
      alreadyRead: r.already_read === 1,
      reason: r.reason,
      resourceAlreadyRead: r.resource_already_read === 1,
      project: projects.get(r.project_id) ?? null,
      issue: r.issue_id ? (issues.get(r.issue_id) ?? null) : null,
      comment: comment ? { id: comment.id, content: comment.content, createdUser: userJson(users, comment.created_user_id), created: iso(comment.created_at), updated: iso(comment.updated_at), changeLog: [], stars: [], notifications: [] } : null,
      pullRequest: null,
      pullRequestComment: null,
      sender: userJson(users, r.sender_id),
      created: iso(r.created_at),
    };
  });
}

/** Notifications, activities, recently viewed items, users, space notice, licence and disk usage. */
export function feedRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    const social = (caller: Caller) => createSocialRepository(caller.db);

    api.get('/notifications', async (request) => {
      const caller = callerOf(request);
      return presentNotifications(deps, caller, await social(caller).notificationsOf(caller.orgId, caller.userId, parseParams(cursor, paramsOf(request))));
    });
    api.get('/notifications/count', async (request) => {
      const caller = callerOf(request);
      const q = parseParams(z.object({ alreadyRead: bool.optional(), resourceAlreadyRead: bool.optional() }), paramsOf(request));
      return { count: await social(caller).countNotifications(caller.orgId, caller.userId, q) };
    });
    api.post('/notifications/markAsRead', async (request) => {
      const caller = callerOf(request);
      await social(caller).markAllNotificationsRead(caller.orgId, caller.userId);
      return { count: await social(caller).countNotifications(caller.orgId, caller.userId, { alreadyRead: false }) };
    });
    api.post<{ Params: { id: string } }>('/notifications/:id/markAsRead', async (request, reply) => {
      const caller = callerOf(request);
      const { id } = parseParams(z.object({ id: int }), request.params);
      if ((await social(caller).markNotificationRead(caller.orgId, caller.userId, id)) === 0) throw notFound('notification.not_found', 'No notification.');
      return reply.status(204).send();
    });

    api.get('/space/activities', async (request) => {
      const caller = callerOf(request);
      const q = parseParams(activityQuery, paramsOf(request));
      return presentActivities(deps, caller, await social(caller).activities(caller.orgId, { projectIds: await visibleProjectIds(caller), types: q.activityTypeId }, q));
    });
    api.get<P>('/projects/:projectIdOrKey/activities', async (request) => {
      const caller = callerOf(request);
      const scope = await findProjectScope(caller, request.params.projectIdOrKey);
      const q = parseParams(activityQuery, paramsOf(request));
      return presentActivities(deps, caller, await social(caller).activities(caller.orgId, { projectIds: [scope.project.id], types: q.activityTypeId }, q));
    });
    api.get<U>('/users/:userId/activities', async (request) => {
      const caller = callerOf(request);
      const { userId } = parseParams(userParam, request.params);
      await requireSpaceUser(caller, userId);
      const q = parseParams(activityQuery, paramsOf(request));
      return presentActivities(deps, caller, await social(caller).activities(caller.orgId, { projectIds: await visibleProjectIds(caller), userId, types: q.activityTypeId }, q));
    });

    api.get('/users/myself/recentlyViewedIssues', async (request) => {
      const caller = callerOf(request);
      const views = await social(caller).recentViews(caller.orgId, caller.userId, 'issue', parseParams(pageQuery, paramsOf(request)));
      const visible = new Set(await visibleProjectIds(caller));
      const issues = (await issuesOf(caller, views.map((v) => v.target_id))).filter((i) => visible.has(i.project_id));
      const presented = await presentedIssues(caller, issues, await loadSpaceUsers(deps, caller));
      return views.flatMap((v) => (presented.has(v.target_id) ? [{ issue: presented.get(v.target_id), updated: iso(v.viewed_at) }] : []));
    });
    api.get('/users/myself/recentlyViewedProjects', async (request) => {
      const caller = callerOf(request);
      const views = await social(caller).recentViews(caller.orgId, caller.userId, 'project', parseParams(pageQuery, paramsOf(request)));
      const visible = new Set(await visibleProjectIds(caller));
      const projects = await projectsById(caller, views.map((v) => v.target_id).filter((id) => visible.has(id)));
      return views.flatMap((v) => (projects.has(v.target_id) ? [{ project: projects.get(v.target_id), updated: iso(v.viewed_at) }] : []));
    });
    api.get('/users/myself/recentlyViewedWikis', async (request) => {
      const caller = callerOf(request);
      const views = await social(caller).recentViews(caller.orgId, caller.userId, 'wiki', parseParams(pageQuery, paramsOf(request)));
      const visible = await visibleProjectIds(caller);
      const ids = views.map((v) => v.target_id);
      const wikis = ids.length && visible.length ? await caller.db.selectFrom('wikis').selectAll().where('org_id', '=', caller.orgId).where('id', 'in', ids).where('project_id', 'in', visible).execute() : [];
      const users = await loadSpaceUsers(deps, caller);
      return views.flatMap((v) => {
        const w = wikis.find((x) => x.id === v.target_id);
        if (!w) return [];
        const page = { id: w.id, projectId: w.project_id, name: w.name, tags: [], createdUser: userJson(users, w.created_user_id), created: iso(w.created_at), updatedUser: userJson(users, w.updated_user_id), updated: iso(w.updated_at) };
        return [{ page, updated: iso(v.viewed_at) }];
      });
    });

    api.get<U>('/users/:userId', async (request) => {
      const caller = callerOf(request);
      const { userId } = parseParams(userParam, request.params);
      await requireSpaceUser(caller, userId);
      const user = (await loadSpaceUsers(deps, caller)).get(userId);
      if (!user) throw notFound('user.not_found', 'No user.');
      return presentUser(user);
    });
    api.get<U>('/users/:userId/icon', async (request, reply) => {
      const caller = callerOf(request);
      await requireSpaceUser(caller, parseParams(userParam, request.params).userId);
      return sendDefaultIcon(reply, 'icon.png');
    });

    api.get('/space/notification', async (request) => {
      const caller = callerOf(request);
      const notice = await social(caller).findNotice(caller.orgId);
      return { content: notice?.content ?? '', updated: notice ? iso(notice.updated_at) : null };
    });
    api.put('/space/notification', async (request) => {
      const caller = callerOf(request);
      requireSpaceAdmin(caller);
      const { content } = parseParams(z.object({ content: text(100_000) }), paramsOf(request));
      await social(caller).putNotice(caller.orgId, content, deps.kernel.clock.now().toISOString());
      const notice = await social(caller).findNotice(caller.orgId);
      return { content: notice?.content ?? '', updated: notice ? iso(notice.updated_at) : null };
    });
  };
}
