import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { presentIssue } from '../backlog-api/backlog.presenter';
import { int, paramsOf, parseParams } from '../backlog-api/params';
import { callerOf } from '../backlog-api/plugin';
import type { IssueView } from '../issues.service';
import { loadSpaceUsers, type ProjectsDeps, type SpaceUser } from '../spaces.service';
import { addRelatedIssue, listRelatedIssues, removeRelatedIssue } from './related-issues.service';

const newRelation = z.object({ targetIssueId: int });
const relatedParam = z.object({ relatedIssueId: int });
type I = { Params: { issueIdOrKey: string } };
type IR = { Params: { issueIdOrKey: string; relatedIssueId: string } };

/** `RelatedIssue`: an Issue with `type: "RELATES"`, the only relation Backlog has. */
const presentRelated = (view: IssueView, users: Map<number, SpaceUser>, locale: string) => ({ ...presentIssue(view, users, locale), type: 'RELATES' as const });

/** Related issues (backlog-js getRelatedIssues, addRelatedIssue, removeRelatedIssue). */
export function relatedIssueRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.get<I>('/issues/:issueIdOrKey/relatedIssues', async (request) => {
      const caller = callerOf(request);
      const views = await listRelatedIssues(caller, request.params.issueIdOrKey);
      const users = await loadSpaceUsers(deps, caller);
      return views.map((v) => presentRelated(v, users, caller.access.account.locale));
    });

    api.post<I>('/issues/:issueIdOrKey/relatedIssues', async (request) => {
      const caller = callerOf(request);
      const { targetIssueId } = parseParams(newRelation, paramsOf(request));
      const view = await addRelatedIssue(deps, caller, request.params.issueIdOrKey, targetIssueId);
      return presentRelated(view, await loadSpaceUsers(deps, caller), caller.access.account.locale);
    });

    api.delete<IR>('/issues/:issueIdOrKey/relatedIssues/:relatedIssueId', async (request) => {
      const caller = callerOf(request);
      const { relatedIssueId } = parseParams(relatedParam, request.params);
      const view = await removeRelatedIssue(caller, request.params.issueIdOrKey, relatedIssueId);
      return presentRelated(view, await loadSpaceUsers(deps, caller), caller.access.account.locale);
    });
  };
}
