import { useMutation, useQuery, useQueryClient, keepPreviousData } from '@tanstack/react-query';
import { backlog, type Params } from './backlog';
import type { BacklogUser, Category, Comment, Issue, IssueType, Named, Project, Status, Team, Version } from './types';

const enc = encodeURIComponent;

export const projectKeys = {
  all: (orgId: string) => ['org', orgId, 'projects'] as const,
  project: (orgId: string, key: string) => ['org', orgId, 'projects', key] as const,
  meta: (orgId: string, key: string, what: string) => ['org', orgId, 'projects', key, what] as const,
  issues: (orgId: string) => ['org', orgId, 'issues'] as const,
  issue: (orgId: string, issueKey: string) => ['org', orgId, 'issues', 'one', issueKey] as const,
};

export function useProjects(orgId: string, all = false) {
  return useQuery({ queryKey: [...projectKeys.all(orgId), { all }], queryFn: () => backlog.get<Project[]>(orgId, '/projects', all ? { all: true } : {}) });
}

export function useProject(orgId: string, key: string) {
  return useQuery({ queryKey: projectKeys.project(orgId, key), queryFn: () => backlog.get<Project>(orgId, `/projects/${enc(key)}`) });
}

function useProjectList<T>(orgId: string, key: string, what: string) {
  return useQuery({ queryKey: projectKeys.meta(orgId, key, what), queryFn: () => backlog.get<T[]>(orgId, `/projects/${enc(key)}/${what}`) });
}

export const useProjectUsers = (orgId: string, key: string) => useProjectList<BacklogUser>(orgId, key, 'users');
export const useProjectAdmins = (orgId: string, key: string) => useProjectList<BacklogUser>(orgId, key, 'administrators');
export const useIssueTypes = (orgId: string, key: string) => useProjectList<IssueType>(orgId, key, 'issueTypes');
export const useStatuses = (orgId: string, key: string) => useProjectList<Status>(orgId, key, 'statuses');
export const useCategories = (orgId: string, key: string) => useProjectList<Category>(orgId, key, 'categories');
export const useVersions = (orgId: string, key: string) => useProjectList<Version>(orgId, key, 'versions');
export const useCustomFields = (orgId: string, key: string) => useProjectList<{ id: number; typeId: number; name: string }>(orgId, key, 'customFields');
export const useProjectTeams = (orgId: string, key: string) => useProjectList<Team>(orgId, key, 'teams');

export function usePriorities(orgId: string) {
  return useQuery({ queryKey: ['org', orgId, 'priorities'], queryFn: () => backlog.get<Named[]>(orgId, '/priorities'), staleTime: 10 * 60_000 });
}

export function useResolutions(orgId: string) {
  return useQuery({ queryKey: ['org', orgId, 'resolutions'], queryFn: () => backlog.get<Named[]>(orgId, '/resolutions'), staleTime: 10 * 60_000 });
}

export function useSpaceUsers(orgId: string, enabled = true) {
  return useQuery({ queryKey: ['org', orgId, 'space-users'], queryFn: () => backlog.get<BacklogUser[]>(orgId, '/users'), enabled });
}

export function useMyself(orgId: string) {
  return useQuery({ queryKey: ['org', orgId, 'myself'], queryFn: () => backlog.get<BacklogUser>(orgId, '/users/myself'), staleTime: 5 * 60_000 });
}

export function useSpaceTeams(orgId: string, enabled = true) {
  return useQuery({ queryKey: ['org', orgId, 'space-teams'], queryFn: () => backlog.get<Team[]>(orgId, '/teams'), enabled, retry: false });
}

export interface IssueQuery {
  statusId?: number[];
  assigneeId?: number[];
  issueTypeId?: number[];
  keyword?: string;
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
}

export function useIssues(orgId: string, projectId: number | undefined, query: IssueQuery) {
  const params: Params = { projectId: projectId === undefined ? [] : [projectId], ...query, count: 20, keyword: query.keyword || undefined };
  return useQuery({
    queryKey: [...projectKeys.issues(orgId), 'list', projectId, query],
    queryFn: async () => {
      const filter = { ...params };
      delete filter.sort;
      delete filter.order;
      delete filter.offset;
      delete filter.count;
      const [items, count] = await Promise.all([
        backlog.get<Issue[]>(orgId, '/issues', params),
        backlog.get<{ count: number }>(orgId, '/issues/count', filter),
      ]);
      return { items, total: count.count };
    },
    enabled: projectId !== undefined,
    placeholderData: keepPreviousData,
  });
}

export function useIssue(orgId: string, issueKey: string) {
  return useQuery({ queryKey: projectKeys.issue(orgId, issueKey), queryFn: () => backlog.get<Issue>(orgId, `/issues/${enc(issueKey)}`) });
}

export function useComments(orgId: string, issueKey: string) {
  return useQuery({
    queryKey: [...projectKeys.issue(orgId, issueKey), 'comments'],
    queryFn: () => backlog.get<Comment[]>(orgId, `/issues/${enc(issueKey)}/comments`, { order: 'asc', count: 100 }),
  });
}

/** Any write: invalidates what it names (default: the org's projects and issues). */
export function useBacklogWrite<TInput, TResult = unknown>(orgId: string, run: (input: TInput) => Promise<TResult>, invalidate?: (input: TInput) => readonly unknown[][]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (_result, input) => {
      const keys = invalidate ? invalidate(input) : [[...projectKeys.all(orgId)], [...projectKeys.issues(orgId)]];
      await Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
    },
  });
}

export function useCreateProject(orgId: string) {
  return useBacklogWrite(orgId, (input: { name: string; key: string }) =>
    backlog.post<Project>(orgId, '/projects', { ...input, chartEnabled: false, subtaskingEnabled: true, textFormattingRule: 'markdown' }),
  );
}

export function useCreateIssue(orgId: string) {
  return useBacklogWrite(orgId, (input: Params) => backlog.post<Issue>(orgId, '/issues', input));
}

export function useUpdateIssue(orgId: string, issueKey: string) {
  return useBacklogWrite(orgId, (input: Params) => backlog.patch<Issue>(orgId, `/issues/${enc(issueKey)}`, input), () => [[...projectKeys.issues(orgId)]]);
}

export function useAddComment(orgId: string, issueKey: string) {
  return useBacklogWrite(orgId, (content: string) => backlog.post<Comment>(orgId, `/issues/${enc(issueKey)}/comments`, { content }), () => [[...projectKeys.issues(orgId)]]);
}

/** Settings lists: POST/PATCH/DELETE on `/projects/:key/<what>`, then refetch that list. */
export function useProjectSettingWrite(orgId: string, key: string, what: string) {
  return useBacklogWrite(
    orgId,
    (input: { method: 'POST' | 'PATCH' | 'DELETE'; id?: number; params?: Params }) => {
      const path = `/projects/${enc(key)}/${what}${input.id === undefined ? '' : `/${input.id}`}`;
      const call = input.method === 'POST' ? backlog.post : input.method === 'PATCH' ? backlog.patch : backlog.delete;
      return call(orgId, path, input.params ?? {});
    },
    () => [[...projectKeys.meta(orgId, key, what)], [...projectKeys.project(orgId, key)], [...projectKeys.issues(orgId)]],
  );
}
