import { useQuery } from '@tanstack/react-query';
import { backlog } from './backlog';
import { useBacklogWrite } from './api';
import type { Wiki, WikiHistory, WikiListItem } from './types';

export const wikiKeys = {
  all: (orgId: string) => ['org', orgId, 'wikis'] as const,
  list: (orgId: string, projectKey: string, keyword: string) => ['org', orgId, 'wikis', 'list', projectKey, keyword] as const,
  page: (orgId: string, id: number) => ['org', orgId, 'wikis', 'page', id] as const,
};

export function useWikis(orgId: string, projectKey: string, keyword = '') {
  return useQuery({
    queryKey: wikiKeys.list(orgId, projectKey, keyword),
    queryFn: () => backlog.get<WikiListItem[]>(orgId, '/wikis', { projectIdOrKey: projectKey, keyword: keyword || undefined }),
    retry: false,
  });
}

export function useWiki(orgId: string, id: number) {
  return useQuery({ queryKey: wikiKeys.page(orgId, id), queryFn: () => backlog.get<Wiki>(orgId, `/wikis/${id}`) });
}

/** Toride's addition for the web app: the page's Markdown rendered and sanitised on the server. */
export function useWikiHtml(orgId: string, id: number, version: string) {
  return useQuery({ queryKey: [...wikiKeys.page(orgId, id), 'html', version], queryFn: () => backlog.get<{ html: string }>(orgId, `/wikis/${id}/html`) });
}

export function useWikiHistory(orgId: string, id: number) {
  return useQuery({ queryKey: [...wikiKeys.page(orgId, id), 'history'], queryFn: () => backlog.get<WikiHistory[]>(orgId, `/wikis/${id}/history`, { order: 'desc', count: 100 }) });
}

export function useSaveWiki(orgId: string) {
  return useBacklogWrite(
    orgId,
    (input: { id?: number; projectId: number; name: string; content: string }) =>
      input.id === undefined
        ? backlog.post<Wiki>(orgId, '/wikis', { projectId: input.projectId, name: input.name, content: input.content, mailNotify: false })
        : backlog.patch<Wiki>(orgId, `/wikis/${input.id}`, { name: input.name, content: input.content, mailNotify: false }),
    () => [[...wikiKeys.all(orgId)]],
  );
}
