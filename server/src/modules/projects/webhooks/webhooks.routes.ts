import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bool, int, intList, name, paramsOf, parseParams, text } from '../backlog-api/params';
import { callerOf } from '../backlog-api/plugin';
import { findProjectScope } from '../projects.service';
import { loadSpaceUsers, type ProjectsDeps } from '../spaces.service';
import { presentDelivery, presentWebhook } from './webhooks.presenter';
import { addWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, updateWebhook, type WebhookView } from './webhooks.service';

const hookUrl = z.string().trim().min(1, 'is required').max(2048);
/** Form bodies cannot send an empty array: `activityTypeIds=` (or one empty `activityTypeIds[]=`) clears the list. */
const noTypes = z.union([z.literal(''), z.tuple([z.literal('')])]).transform((): number[] => []);
const activityTypeIds = z.union([noTypes, intList.pipe(z.array(z.number().int().min(1).max(999)).max(100))]);
const common = { description: text(10_000).optional(), allEvent: bool.optional(), activityTypeIds: activityTypeIds.optional() };
const newWebhook = z.object({ name, hookUrl, ...common });
const webhookPatch = z.object({ name: name.optional(), hookUrl: hookUrl.optional(), ...common });
const ids = z.object({ webhookId: int });
const deliveriesQuery = z.object({ count: int.pipe(z.number().min(1).max(100)).default(20) });

type P = { Params: { projectIdOrKey: string } };
type PW = { Params: { projectIdOrKey: string; webhookId: string } };

/** `/projects/:p/webhooks` (backlog-js getWebhooks … deleteWebhook) and the delivery log. */
export function webhookRoutes(deps: ProjectsDeps) {
  const scopeOf = (request: FastifyRequest<P>) => findProjectScope(callerOf(request), request.params.projectIdOrKey);
  const present = async (request: FastifyRequest<P>, views: WebhookView[]) => {
    const users = await loadSpaceUsers(deps, callerOf(request));
    return views.map((view) => presentWebhook(view, users));
  };
  return async (api: FastifyInstance) => {
    api.get<P>('/projects/:projectIdOrKey/webhooks', async (request) => present(request, await listWebhooks(deps, await scopeOf(request))));

    api.post<P>('/projects/:projectIdOrKey/webhooks', async (request, reply) => {
      const scope = await scopeOf(request);
      const view = await addWebhook(deps, scope, parseParams(newWebhook, paramsOf(request)));
      return reply.status(201).send((await present(request, [view]))[0]);
    });

    api.get<PW>('/projects/:projectIdOrKey/webhooks/:webhookId', async (request) => {
      const scope = await scopeOf(request);
      return (await present(request, [await getWebhook(deps, scope, parseParams(ids, request.params).webhookId)]))[0];
    });

    api.patch<PW>('/projects/:projectIdOrKey/webhooks/:webhookId', async (request) => {
      const scope = await scopeOf(request);
      const { webhookId } = parseParams(ids, request.params);
      return (await present(request, [await updateWebhook(deps, scope, webhookId, parseParams(webhookPatch, paramsOf(request)))]))[0];
    });

    api.delete<PW>('/projects/:projectIdOrKey/webhooks/:webhookId', async (request) => {
      const scope = await scopeOf(request);
      return (await present(request, [await deleteWebhook(deps, scope, parseParams(ids, request.params).webhookId)]))[0];
    });

    api.get<PW>('/projects/:projectIdOrKey/webhooks/:webhookId/deliveries', async (request) => {
      const scope = await scopeOf(request);
      const { webhookId } = parseParams(ids, request.params);
      const { count } = parseParams(deliveriesQuery, paramsOf(request));
      return (await listDeliveries(deps, scope, webhookId, count)).map(presentDelivery);
    });
  };
}
