import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../../kernel/errors';
import { bool, callerOf, int, intList, paramsOf, parseParams, presentUser, text } from '../backlog-api/index';
import { loadSpaceUsers, type ProjectsDeps, type SpaceUser } from '../spaces.service';
import { addDocument, deleteDocument, documentTree, findDocumentScope, getDocument, listDocuments, type DocumentView } from './documents.service';

const iso = (timestamp: string) => timestamp.replace(/\.\d{3}Z$/, 'Z');
const userOf = (users: Map<number, SpaceUser>, id: number) => {
  const user = users.get(id);
  return user ? presentUser(user) : { id, userId: `user${id}`, name: 'deleted user', roleType: 2, lang: null, mailAddress: null, lastLoginTime: null };
};

/** The content as the document editor's JSON (one paragraph per line), serialised as Backlog sends it. */
const editorJson = (content: string) =>
  JSON.stringify({
    type: 'doc',
    content: content.split('\n').map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
  });

/** → backlog-js `Entity.Document.Document`. */
export const presentDocument = ({ document: d, childIds }: DocumentView, users: Map<number, SpaceUser>) => ({
  id: d.id,
  projectId: d.project_id,
  title: d.title,
  plain: d.content,
  json: editorJson(d.content),
  statusId: d.status_id,
  emoji: d.emoji,
  attachments: [],
  tags: [],
  createdUser: userOf(users, d.created_user_id),
  created: iso(d.created_at),
  updatedUser: userOf(users, d.updated_user_id),
  updated: iso(d.updated_at),
  childDocumentIds: [...childIds],
});

const listQuery = z.object({
  projectId: intList.optional(),
  keyword: text(255).optional(),
  sort: z.enum(['created', 'updated']).default('updated'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: int.pipe(z.number().min(0)).default(0),
  count: int.pipe(z.number().min(1).max(100)).default(20),
});
const treeQuery = z.object({ projectIdOrKey: z.union([z.string().min(1), z.number()]).transform(String) });
const newDocument = z.object({
  projectId: int,
  title: text(255).optional(),
  content: text(500_000).optional(),
  emoji: text(16).optional(),
  parentId: text(64).optional(),
  addLast: bool.optional(),
});
const attachmentParams = z.object({ documentId: z.string(), attachmentId: int });

type D = { Params: { documentId: string } };

/** Documents (Backlog's document tree API). `documents/tree` is a literal route, before `documents/:documentId`. */
export function documentRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.get('/documents', async (request) => {
      const caller = callerOf(request);
      const q = parseParams(listQuery, paramsOf(request));
      const views = await listDocuments(caller, { ...q, projectIds: q.projectId });
      const users = await loadSpaceUsers(deps, caller);
      return views.map((v) => presentDocument(v, users));
    });

    api.get('/documents/tree', async (request) => documentTree(callerOf(request), parseParams(treeQuery, paramsOf(request)).projectIdOrKey, iso));

    api.post('/documents', async (request, reply) => {
      const caller = callerOf(request);
      const view = await addDocument(deps, caller, parseParams(newDocument, paramsOf(request)));
      return reply.status(201).send(presentDocument(view, await loadSpaceUsers(deps, caller)));
    });

    api.get<D>('/documents/:documentId', async (request) => {
      const caller = callerOf(request);
      return presentDocument(await getDocument(caller, request.params.documentId), await loadSpaceUsers(deps, caller));
    });

    api.delete<D>('/documents/:documentId', async (request) => {
      const caller = callerOf(request);
      return presentDocument(await deleteDocument(deps, caller, request.params.documentId), await loadSpaceUsers(deps, caller));
    });

    // Documents carry no attachments yet: a visible document answers "no attachment", others "no document".
    api.get<{ Params: { documentId: string; attachmentId: string } }>('/documents/:documentId/attachments/:attachmentId', async (request) => {
      const { documentId } = parseParams(attachmentParams, request.params);
      await findDocumentScope(callerOf(request), documentId);
      throw notFound('attachment.not_found', 'No attachment.');
    });
  };
}
