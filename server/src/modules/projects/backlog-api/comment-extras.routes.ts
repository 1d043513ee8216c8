import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addCommentNotifications, commentNotifications, countComments, deleteComment, issueParticipantIds } from '../comment-extras.service';
import { findProjectScope } from '../projects.service';
import { loadSpaceUsers, type ProjectsDeps } from '../spaces.service';
import { presentComment, presentCommentNotification, presentUser } from './backlog.presenter';
import { sendDefaultIcon } from './icons';
import { int, intList, paramsOf, parseParams } from './params';
import { callerOf } from './plugin';

const commentParam = z.object({ commentId: int });
const notifyBody = z.object({ notifiedUserId: intList });

type I = { Params: { issueIdOrKey: string } };
type IC = { Params: { issueIdOrKey: string; commentId: string } };
type P = { Params: { projectIdOrKey: string } };

/** Comment count, deletion and notifications, issue participants, and the project and space images. */
export function commentExtraRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    // A literal segment: matched before `comments/:commentId` (find-my-way prefers static segments).
    api.get<I>('/issues/:issueIdOrKey/comments/count', async (request) => ({ count: await countComments(callerOf(request), request.params.issueIdOrKey) }));

    api.delete<IC>('/issues/:issueIdOrKey/comments/:commentId', async (request) => {
      const caller = callerOf(request);
      const view = await deleteComment(caller, request.params.issueIdOrKey, parseParams(commentParam, request.params).commentId);
      return presentComment(view, await loadSpaceUsers(deps, caller));
    });

    api.get<IC>('/issues/:issueIdOrKey/comments/:commentId/notifications', async (request) => {
      const caller = callerOf(request);
      const rows = await commentNotifications(caller, request.params.issueIdOrKey, parseParams(commentParam, request.params).commentId);
      const users = await loadSpaceUsers(deps, caller);
      return rows.map((n) => presentCommentNotification(n, users));
    });

    api.post<IC>('/issues/:issueIdOrKey/comments/:commentId/notifications', async (request) => {
      const caller = callerOf(request);
      const { commentId } = parseParams(commentParam, request.params);
      const { notifiedUserId } = parseParams(notifyBody, paramsOf(request));
      const view = await addCommentNotifications(deps, caller, request.params.issueIdOrKey, commentId, notifiedUserId);
      return presentComment(view, await loadSpaceUsers(deps, caller));
    });

    api.get<I>('/issues/:issueIdOrKey/participants', async (request) => {
      const caller = callerOf(request);
      const ids = await issueParticipantIds(caller, request.params.issueIdOrKey);
      const users = await loadSpaceUsers(deps, caller);
      return ids.flatMap((id) => {
        const user = users.get(id);
        return user ? [presentUser(user)] : [];
      });
    });

    api.get<P>('/projects/:projectIdOrKey/image', async (request, reply) => {
      await findProjectScope(callerOf(request), request.params.projectIdOrKey);
      return sendDefaultIcon(reply, 'project.png');
    });

    api.get('/space/image', async (_request, reply) => sendDefaultIcon(reply, 'space.png'));
  };
}
