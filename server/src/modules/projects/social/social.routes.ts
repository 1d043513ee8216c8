import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bool, date, int, intList, paramsOf, parseParams, text } from '../backlog-api/params';
import { callerOf } from '../backlog-api/plugin';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';
import type { WatchingRow } from './social.db';
import { presentedIssues, presentStar, presentWatching } from './social.presenter';
import { addStar, addWatching, deleteWatching, getWatching, issuesOf, markWatchingRead, removeStar, updateWatching, userStarCount, userStars, userWatchings, wikiStars } from './social.service';

export const cursor = z.object({
  minId: int.optional(),
  maxId: int.optional(),
  count: int.pipe(z.number().min(1).max(100)).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
});
const starBody = z.object({ issueId: int.optional(), commentId: int.optional(), wikiId: int.optional(), pullRequestId: int.optional(), pullRequestCommentId: int.optional() });
const watchingQuery = z.object({
  order: z.enum(['asc', 'desc']).default('desc'),
  sort: z.enum(['created', 'updated', 'issueUpdated']).default('issueUpdated'),
  count: int.pipe(z.number().min(1).max(100)).default(20),
  offset: int.pipe(z.number().min(0)).default(0),
  resourceAlreadyRead: bool.optional(),
  issueId: intList.optional(),
});
const userParam = z.object({ userId: int });
const idParam = z.object({ id: int });
type U = { Params: { userId: string } };
type W = { Params: { id: string } };

async function presentWatchings(deps: ProjectsDeps, caller: Caller, rows: readonly WatchingRow[]) {
  const users = await loadSpaceUsers(deps, caller);
  const issues = await presentedIssues(caller, await issuesOf(caller, rows.map((r) => r.issue_id)), users);
  return rows.map((r) => presentWatching(r, issues.get(r.issue_id) ?? null));
}

/** Stars and watchings (backlog-js postStar … resetWatchingListItemAsRead). Literal routes first. */
export function socialRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.post('/stars', async (request, reply) => {
      await addStar(deps, callerOf(request), parseParams(starBody, paramsOf(request)));
      return reply.status(204).send();
    });
    api.delete<W>('/stars/:id', async (request, reply) => {
      await removeStar(callerOf(request), parseParams(idParam, request.params).id);
      return reply.status(204).send();
    });
    api.get<U>('/users/:userId/stars', async (request) => {
      const caller = callerOf(request);
      const rows = await userStars(caller, parseParams(userParam, request.params).userId, parseParams(cursor, paramsOf(request)));
      const users = await loadSpaceUsers(deps, caller);
      return rows.map((s) => presentStar(s, users));
    });
    api.get<{ Params: { wikiId: string } }>('/wikis/:wikiId/stars', async (request) => {
      const caller = callerOf(request);
      const rows = await wikiStars(caller, parseParams(z.object({ wikiId: int }), request.params).wikiId);
      const users = await loadSpaceUsers(deps, caller);
      return rows.map((s) => presentStar(s, users));
    });
    api.get<U>('/users/:userId/stars/count', async (request) => {
      const q = parseParams(z.object({ since: date.optional(), until: date.optional() }), paramsOf(request));
      return { count: await userStarCount(callerOf(request), parseParams(userParam, request.params).userId, q.since, q.until) };
    });

    api.get<U>('/users/:userId/watchings', async (request) => {
      const caller = callerOf(request);
      const q = parseParams(watchingQuery, paramsOf(request));
      const rows = await userWatchings(caller, parseParams(userParam, request.params).userId, { ...q, issueIds: q.issueId });
      return presentWatchings(deps, caller, rows);
    });
    api.get<U>('/users/:userId/watchings/count', async (request) => {
      const caller = callerOf(request);
      const q = parseParams(z.object({ resourceAlreadyRead: bool.optional(), alreadyRead: bool.optional() }), paramsOf(request));
      const rows = await userWatchings(caller, parseParams(userParam, request.params).userId, { resourceAlreadyRead: q.resourceAlreadyRead ?? q.alreadyRead, sort: 'created', order: 'desc' });
      return { count: rows.length };
    });
    api.post('/watchings', async (request, reply) => {
      const caller = callerOf(request);
      const body = parseParams(z.object({ issueIdOrKey: z.union([z.string(), z.number()]).transform(String), note: text(10_000).default('') }), paramsOf(request));
      const row = await addWatching(deps, caller, body.issueIdOrKey, body.note);
      return reply.status(201).send((await presentWatchings(deps, caller, [row]))[0]);
    });
    api.get<W>('/watchings/:id', async (request) => {
      const caller = callerOf(request);
      return (await presentWatchings(deps, caller, [await getWatching(caller, parseParams(idParam, request.params).id)]))[0];
    });
    api.patch<W>('/watchings/:id', async (request) => {
      const caller = callerOf(request);
      const { note } = parseParams(z.object({ note: text(10_000) }), paramsOf(request));
      return (await presentWatchings(deps, caller, [await updateWatching(deps, caller, parseParams(idParam, request.params).id, note)]))[0];
    });
    api.delete<W>('/watchings/:id', async (request) => {
      const caller = callerOf(request);
      return (await presentWatchings(deps, caller, [await deleteWatching(caller, parseParams(idParam, request.params).id)]))[0];
    });
    api.post<W>('/watchings/:id/markAsRead', async (request, reply) => {
      await markWatchingRead(callerOf(request), parseParams(idParam, request.params).id);
      return reply.status(204).send();
    });
  };
}
