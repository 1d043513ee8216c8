import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bool, callerOf, int, paramsOf, parseParams, text } from '../backlog-api/index';
import { loadSpaceUsers, type ProjectsDeps } from '../spaces.service';
import { presentWiki, presentWikiHistory, presentWikiListItem } from './wiki.presenter';
import { renderWikiMarkdown } from './wiki.render';
import { countWikis, createWiki, deleteWiki, findWikiScope, listWikis, listWikiTags, toWikiViews, updateWiki, wikiHistory } from './wiki.service';

const projectRef = z.object({ projectIdOrKey: z.union([z.string().min(1), z.number()]).transform(String) });
const listQuery = projectRef.extend({ keyword: text(255).optional() });
const wikiName = z.string().trim().min(1, 'is required').max(255);
const newWiki = z.object({ projectId: int, name: wikiName, content: text(500_000), mailNotify: bool.optional() });
const wikiPatch = z.object({ name: wikiName.optional(), content: text(500_000).optional(), mailNotify: bool.optional() });
const deleteParams = z.object({ mailNotify: bool.optional() });
const wikiIdParam = z.object({ wikiId: int });
const historyQuery = z.object({
  minId: int.optional(),
  maxId: int.optional(),
  count: int.pipe(z.number().min(1).max(100)).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
});

type W = { Params: { wikiId: string } };

/** Wiki pages (Backlog `/wikis`). `wikis/count` and `wikis/tags` are literal routes, before `wikis/:wikiId`. */
export function wikiRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.get('/wikis', async (request) => {
      const caller = callerOf(request);
      const q = parseParams(listQuery, paramsOf(request));
      const views = await listWikis(caller, q.projectIdOrKey, q.keyword);
      const users = await loadSpaceUsers(deps, caller);
      return views.map((v) => presentWikiListItem(v, users));
    });

    api.get('/wikis/count', async (request) => ({ count: await countWikis(callerOf(request), parseParams(projectRef, paramsOf(request)).projectIdOrKey) }));

    api.get('/wikis/tags', async (request) => {
      const tags = await listWikiTags(callerOf(request), parseParams(projectRef, paramsOf(request)).projectIdOrKey);
      return tags.map((t) => ({ id: t.id, name: t.name }));
    });

    api.post('/wikis', async (request, reply) => {
      const caller = callerOf(request);
      const input = parseParams(newWiki, paramsOf(request));
      const view = await createWiki(deps, caller, input.projectId, input);
      return reply.status(201).send(presentWiki(view, await loadSpaceUsers(deps, caller)));
    });

    api.get<W>('/wikis/:wikiId', async (request) => {
      const caller = callerOf(request);
      const { page } = await findWikiScope(caller, parseParams(wikiIdParam, request.params).wikiId);
      const [view] = await toWikiViews(caller, [page]);
      return presentWiki(view as NonNullable<typeof view>, await loadSpaceUsers(deps, caller));
    });

    /** Toride addition for the web app: the page's Markdown rendered to sanitised HTML. */
    api.get<W>('/wikis/:wikiId/html', async (request) => {
      const { page } = await findWikiScope(callerOf(request), parseParams(wikiIdParam, request.params).wikiId);
      return { id: page.id, name: page.name, html: renderWikiMarkdown(page.content) };
    });

    api.patch<W>('/wikis/:wikiId', async (request) => {
      const caller = callerOf(request);
      const { wikiId } = parseParams(wikiIdParam, request.params);
      const view = await updateWiki(deps, caller, wikiId, parseParams(wikiPatch, paramsOf(request)));
      return presentWiki(view, await loadSpaceUsers(deps, caller));
    });

    api.delete<W>('/wikis/:wikiId', async (request) => {
      const caller = callerOf(request);
      const { wikiId } = parseParams(wikiIdParam, request.params);
      const view = await deleteWiki(deps, caller, wikiId, parseParams(deleteParams, paramsOf(request)).mailNotify ?? false);
      return presentWiki(view, await loadSpaceUsers(deps, caller));
    });

    api.get<W>('/wikis/:wikiId/history', async (request) => {
      const caller = callerOf(request);
      const { wikiId } = parseParams(wikiIdParam, request.params);
      const rows = await wikiHistory(caller, wikiId, parseParams(historyQuery, paramsOf(request)));
      const users = await loadSpaceUsers(deps, caller);
      return rows.map((r) => presentWikiHistory(r, users));
    });

    // Attachments are served by attachments/ (wiki-attachments.routes.ts), stars by social/, shared files by shared-files/.
  };
}
