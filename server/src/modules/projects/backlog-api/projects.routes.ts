import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addProjectUser, createProject, deleteProject, findProjectScope, listProjects, listProjectUsers, removeProjectUser, setProjectAdmin, updateProject } from '../projects.service';
import { addStatus, deleteStatus, reorderStatuses, updateStatus } from '../project-statuses.service';
import {
  addCategory,
  addIssueType,
  addVersion,
  deleteCategory,
  deleteIssueType,
  deleteVersion,
  listCategories,
  listIssueTypes,
  listStatuses,
  listVersions,
  updateCategory,
  updateIssueType,
  updateVersion,
} from '../project-settings.service';
import type { ProjectsDeps } from '../spaces.service';
import { presentCategory, presentIssueType, presentProject, presentStatus, presentUser, presentVersion } from './backlog.presenter';
import { bool, date, int, intList, name, nullableDate, paramsOf, parseParams, text } from './params';
import { callerOf } from './plugin';
import { recordView } from '../social/index';

const projectFields = {
  chartEnabled: bool.optional(),
  subtaskingEnabled: bool.optional(),
  projectLeaderCanEditProjectLeader: bool.optional(),
  useWiki: bool.optional(),
  useFileSharing: bool.optional(),
  textFormattingRule: z.enum(['markdown', 'backlog']).optional(),
};
const newProject = z.object({ name, key: z.string(), ...projectFields });
const projectPatch = z.object({ name: name.optional(), key: z.string().optional(), archived: bool.optional(), ...projectFields });
const listQuery = z.object({ archived: bool.optional(), all: bool.optional() });
const userBody = z.object({ userId: int });
const versionFields = { description: text(10_000).optional(), startDate: date.optional(), releaseDueDate: date.optional() };
const newVersion = z.object({ name, ...versionFields });
const versionPatch = z.object({
  name: name.optional(),
  description: text(10_000).optional(),
  startDate: nullableDate.optional(),
  releaseDueDate: nullableDate.optional(),
  archived: bool.optional(),
});
const idParam = z.object({ id: int });

type P = { Params: { projectIdOrKey: string } };
type PI = { Params: { projectIdOrKey: string; id: string } };

/** Projects, their users and their settings lists. Handlers stay thin: parse → service → present. */
export function projectRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    const scopeOf = (request: { params: { projectIdOrKey: string } } & Parameters<typeof callerOf>[0]) =>
      findProjectScope(callerOf(request), request.params.projectIdOrKey);

    api.get('/projects', async (request) => (await listProjects(callerOf(request), parseParams(listQuery, paramsOf(request)))).map(presentProject));

    api.post('/projects', async (request, reply) => {
      const project = await createProject(deps, callerOf(request), parseParams(newProject, paramsOf(request)));
      return reply.status(201).send(presentProject(project));
    });

    api.get<P>('/projects/:projectIdOrKey', async (request) => {
      const scope = await scopeOf(request);
      await recordView(deps, scope.caller, 'project', scope.project.id);
      return presentProject(scope.project);
    });

    api.patch<P>('/projects/:projectIdOrKey', async (request) => {
      const input = parseParams(projectPatch, paramsOf(request));
      return presentProject(await updateProject(deps, await scopeOf(request), input));
    });

    api.delete<P>('/projects/:projectIdOrKey', async (request) => presentProject(await deleteProject(deps, await scopeOf(request))));

    api.get<P>('/projects/:projectIdOrKey/users', async (request) => {
      const { excludeGroupMembers } = parseParams(z.object({ excludeGroupMembers: bool.optional() }), paramsOf(request));
      return (await listProjectUsers(deps, await scopeOf(request), false, excludeGroupMembers === true)).map((u) => presentUser(u));
    });

    api.post<P>('/projects/:projectIdOrKey/users', async (request) => {
      const { userId } = parseParams(userBody, paramsOf(request));
      return presentUser(await addProjectUser(deps, await scopeOf(request), userId));
    });

    api.delete<P>('/projects/:projectIdOrKey/users', async (request) => {
      const { userId } = parseParams(userBody, paramsOf(request));
      return presentUser(await removeProjectUser(deps, await scopeOf(request), userId));
    });

    api.get<P>('/projects/:projectIdOrKey/administrators', async (request) =>
      (await listProjectUsers(deps, await scopeOf(request), true)).map((u) => presentUser(u)),
    );

    api.post<P>('/projects/:projectIdOrKey/administrators', async (request) => {
      const { userId } = parseParams(userBody, paramsOf(request));
      return presentUser(await setProjectAdmin(deps, await scopeOf(request), userId, true));
    });

    api.delete<P>('/projects/:projectIdOrKey/administrators', async (request) => {
      const { userId } = parseParams(userBody, paramsOf(request));
      return presentUser(await setProjectAdmin(deps, await scopeOf(request), userId, false));
    });

    api.get<P>('/projects/:projectIdOrKey/statuses', async (request) => (await listStatuses(await scopeOf(request))).map(presentStatus));

    api.post<P>('/projects/:projectIdOrKey/statuses', async (request, reply) => {
      const input = parseParams(z.object({ name, color: z.string() }), paramsOf(request));
      return reply.status(201).send(presentStatus(await addStatus(await scopeOf(request), input)));
    });

    // A literal segment: registered as its own route, it never reaches `statuses/:id`.
    api.patch<P>('/projects/:projectIdOrKey/statuses/updateDisplayOrder', async (request) => {
      const { statusId } = parseParams(z.object({ statusId: intList }), paramsOf(request));
      return (await reorderStatuses(await scopeOf(request), statusId)).map(presentStatus);
    });

    api.patch<PI>('/projects/:projectIdOrKey/statuses/:id', async (request) => {
      const { id } = parseParams(idParam, request.params);
      const input = parseParams(z.object({ name: name.optional(), color: z.string().optional() }), paramsOf(request));
      return presentStatus(await updateStatus(await scopeOf(request), id, input));
    });

    api.delete<PI>('/projects/:projectIdOrKey/statuses/:id', async (request) => {
      const { id } = parseParams(idParam, request.params);
      const { substituteStatusId } = parseParams(z.object({ substituteStatusId: int }), paramsOf(request));
      return presentStatus(await deleteStatus(await scopeOf(request), id, substituteStatusId));
    });

    api.get<P>('/projects/:projectIdOrKey/issueTypes', async (request) => (await listIssueTypes(await scopeOf(request))).map(presentIssueType));

    api.post<P>('/projects/:projectIdOrKey/issueTypes', async (request, reply) => {
      const input = parseParams(z.object({ name, color: z.string() }), paramsOf(request));
      return reply.status(201).send(presentIssueType(await addIssueType(await scopeOf(request), input)));
    });

    api.patch<PI>('/projects/:projectIdOrKey/issueTypes/:id', async (request) => {
      const { id } = parseParams(idParam, request.params);
      const input = parseParams(z.object({ name: name.optional(), color: z.string().optional() }), paramsOf(request));
      return presentIssueType(await updateIssueType(await scopeOf(request), id, input));
    });

    api.delete<PI>('/projects/:projectIdOrKey/issueTypes/:id', async (request) => {
      const { id } = parseParams(idParam, request.params);
      const { substituteIssueTypeId } = parseParams(z.object({ substituteIssueTypeId: int }), paramsOf(request));
      return presentIssueType(await deleteIssueType(await scopeOf(request), id, substituteIssueTypeId));
    });

    api.patch<PI>('/projects/:projectIdOrKey/categories/:id', async (request) => {
      const { id } = parseParams(idParam, request.params);
      return presentCategory(await updateCategory(await scopeOf(request), id, parseParams(z.object({ name }), paramsOf(request))));
    });

    api.delete<PI>('/projects/:projectIdOrKey/categories/:id', async (request) => {
      const { id } = parseParams(idParam, request.params);
      return presentCategory(await deleteCategory(await scopeOf(request), id));
    });

    api.get<P>('/projects/:projectIdOrKey/categories', async (request) => (await listCategories(await scopeOf(request))).map(presentCategory));

    api.post<P>('/projects/:projectIdOrKey/categories', async (request, reply) => {
      const input = parseParams(z.object({ name }), paramsOf(request));
      return reply.status(201).send(presentCategory(await addCategory(await scopeOf(request), input)));
    });

    api.get<P>('/projects/:projectIdOrKey/versions', async (request) => (await listVersions(await scopeOf(request))).map(presentVersion));

    api.post<P>('/projects/:projectIdOrKey/versions', async (request, reply) => {
      const input = parseParams(newVersion, paramsOf(request));
      return reply.status(201).send(presentVersion(await addVersion(await scopeOf(request), input)));
    });

    api.patch<PI>('/projects/:projectIdOrKey/versions/:id', async (request) => {
      const { id } = parseParams(idParam, request.params);
      const input = parseParams(versionPatch, paramsOf(request));
      const scope = await scopeOf(request);
      return presentVersion(
        await updateVersion(scope, id, {
          ...input,
          startDate: input.startDate === null ? '' : input.startDate,
          releaseDueDate: input.releaseDueDate === null ? '' : input.releaseDueDate,
        }),
      );
    });

    api.delete<PI>('/projects/:projectIdOrKey/versions/:id', async (request) => {
      const { id } = parseParams(idParam, request.params);
      return presentVersion(await deleteVersion(await scopeOf(request), id));
    });
  };
}
