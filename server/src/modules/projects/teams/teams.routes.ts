import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { callerOf } from '../backlog-api/plugin';
import { sendDefaultIcon } from '../backlog-api/icons';
import { int, intList, paramsOf, parseParams } from '../backlog-api/params';
import { findProjectScope } from '../projects.service';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';
import { addProjectTeam, listProjectTeams, removeProjectTeam } from './project-teams.service';
import { presentTeam } from './teams.presenter';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam, type TeamView } from './teams.service';
import { followIdentityTeams } from './teams.sync';

/** Team names as identity allows them (`/api/v1` teams: 1–100 characters). */
const teamName = z.string().trim().min(1, 'is required').max(100);
const members = intList.pipe(z.array(z.number()).max(1000));
const newTeam = z.object({ name: teamName, members: members.optional() });
const teamPatch = z.object({ name: teamName.optional(), members: members.optional() });
const pageQuery = z.object({
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: int.pipe(z.number().min(0)).default(0),
  count: int.pipe(z.number().min(1).max(100)).default(20),
});
const teamParam = z.object({ teamId: int });
const teamBody = z.object({ teamId: int });


type T = { Params: { teamId: string } };
type P = { Params: { projectIdOrKey: string } };

/** Backlog's `/teams` and `/projects/:p/teams` (W5.2). Handlers: parse → service → present. */
export function teamRoutes(deps: ProjectsDeps) {
  followIdentityTeams(deps);
  return async (api: FastifyInstance) => {
    const present = async (caller: Caller, teams: readonly TeamView[]) => {
      const users = await loadSpaceUsers(deps, caller);
      return teams.map((team) => presentTeam(team, users));
    };
    const one = async (caller: Caller, team: TeamView) => (await present(caller, [team]))[0];
    const teamIdOf = (request: FastifyRequest<T>) => parseParams(teamParam, request.params).teamId;

    api.get('/teams', async (request) => {
      const caller = callerOf(request);
      return present(caller, await listTeams(deps, caller, parseParams(pageQuery, paramsOf(request))));
    });

    api.post('/teams', async (request, reply) => {
      const caller = callerOf(request);
      const team = await createTeam(deps, caller, parseParams(newTeam, paramsOf(request)));
      return reply.status(201).send(await one(caller, team));
    });

    api.get<T>('/teams/:teamId', async (request) => {
      const caller = callerOf(request);
      return one(caller, await getTeam(deps, caller, teamIdOf(request)));
    });

    api.patch<T>('/teams/:teamId', async (request) => {
      const caller = callerOf(request);
      const teamId = teamIdOf(request);
      return one(caller, await updateTeam(deps, caller, teamId, parseParams(teamPatch, paramsOf(request))));
    });

    api.delete<T>('/teams/:teamId', async (request) => {
      const caller = callerOf(request);
      return one(caller, await deleteTeam(deps, caller, teamIdOf(request)));
    });

    api.get<T>('/teams/:teamId/icon', async (request, reply) => {
      await getTeam(deps, callerOf(request), teamIdOf(request));
      return sendDefaultIcon(reply, 'team.png');
    });

    api.get<P>('/projects/:projectIdOrKey/teams', async (request) => {
      const scope = await findProjectScope(callerOf(request), request.params.projectIdOrKey);
      return present(scope.caller, await listProjectTeams(deps, scope));
    });

    api.post<P>('/projects/:projectIdOrKey/teams', async (request) => {
      const { teamId } = parseParams(teamBody, paramsOf(request));
      const scope = await findProjectScope(callerOf(request), request.params.projectIdOrKey);
      return one(scope.caller, await addProjectTeam(deps, scope, teamId));
    });

    api.delete<P>('/projects/:projectIdOrKey/teams', async (request) => {
      const { teamId } = parseParams(teamBody, paramsOf(request));
      const scope = await findProjectScope(callerOf(request), request.params.projectIdOrKey);
      return one(scope.caller, await removeProjectTeam(deps, scope, teamId));
    });
  };
}
