import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bool, int, intList, name, paramsOf, parseParams, text } from '../backlog-api/params';
import { callerOf } from '../backlog-api/plugin';
import { findProjectScope } from '../projects.service';
import type { ProjectsDeps } from '../spaces.service';
import { presentCustomField } from './custom-fields.presenter';
import { addField, addItem, deleteField, deleteItem, listFields, renameItem, updateField } from './custom-fields.service';

const scalar = z.union([z.string(), z.number()]).transform(String);
const common = {
  applicableIssueTypes: intList.optional(),
  description: text(10_000).optional(),
  required: bool.optional(),
  min: scalar.optional(),
  max: scalar.optional(),
  initialValue: scalar.optional(),
  unit: text(50).optional(),
  initialValueType: int.optional(),
  initialDate: z.string().optional(),
  initialShift: int.optional(),
  items: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
  allowInput: bool.optional(),
  allowAddItem: bool.optional(),
};
const newField = z.object({ typeId: int.pipe(z.number().min(1).max(8)), name, ...common });
const fieldPatch = z.object({ name: name.optional(), ...common });
const ids = z.object({ id: int });
const itemIds = z.object({ id: int, itemId: int });
const itemBody = z.object({ name });

type P = { Params: { projectIdOrKey: string } };
type PF = { Params: { projectIdOrKey: string; id: string } };
type PFI = { Params: { projectIdOrKey: string; id: string; itemId: string } };

/** `/projects/:p/customFields` and its list items (backlog-js getCustomFields … deleteCustomFieldItem). */
export function customFieldRoutes(deps: ProjectsDeps) {
  const scopeOf = (request: FastifyRequest<P>) => findProjectScope(callerOf(request), request.params.projectIdOrKey);
  return async (api: FastifyInstance) => {
    api.get<P>('/projects/:projectIdOrKey/customFields', async (request) => (await listFields(await scopeOf(request))).map(presentCustomField));

    api.post<P>('/projects/:projectIdOrKey/customFields', async (request, reply) => {
      const scope = await scopeOf(request);
      const { typeId, ...input } = parseParams(newField, paramsOf(request));
      return reply.status(201).send(presentCustomField(await addField(deps, scope, typeId, input)));
    });

    api.patch<PF>('/projects/:projectIdOrKey/customFields/:id', async (request) => {
      const { id } = parseParams(ids, request.params);
      return presentCustomField(await updateField(deps, await scopeOf(request), id, parseParams(fieldPatch, paramsOf(request))));
    });

    api.delete<PF>('/projects/:projectIdOrKey/customFields/:id', async (request) => {
      const { id } = parseParams(ids, request.params);
      return presentCustomField(await deleteField(deps, await scopeOf(request), id));
    });

    api.post<PF>('/projects/:projectIdOrKey/customFields/:id/items', async (request) => {
      const { id } = parseParams(ids, request.params);
      const { name: itemName } = parseParams(itemBody, paramsOf(request));
      return presentCustomField(await addItem(deps, await scopeOf(request), id, itemName));
    });

    api.patch<PFI>('/projects/:projectIdOrKey/customFields/:id/items/:itemId', async (request) => {
      const { id, itemId } = parseParams(itemIds, request.params);
      const { name: itemName } = parseParams(itemBody, paramsOf(request));
      return presentCustomField(await renameItem(deps, await scopeOf(request), id, itemId, itemName));
    });

    api.delete<PFI>('/projects/:projectIdOrKey/customFields/:id/items/:itemId', async (request) => {
      const { id, itemId } = parseParams(itemIds, request.params);
      return presentCustomField(await deleteItem(deps, await scopeOf(request), id, itemId));
    });
  };
}
