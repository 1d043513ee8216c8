import { useQuery } from '@tanstack/react-query';
import { useBacklogWrite } from './api';
import { backlog, backlogDownload, backlogUpload } from './backlog';
import type { SharedFile } from './collab-types';

/** A project's shared files (issue 3 §4) and the files linked to an issue. */
const enc = encodeURIComponent;

export const fileKeys = {
  all: (orgId: string, projectKey: string) => ['org', orgId, 'files', projectKey] as const,
  folder: (orgId: string, projectKey: string, folder: readonly string[]) => ['org', orgId, 'files', projectKey, 'folder', folder.join('/')] as const,
  issue: (orgId: string, issueKey: string) => ['org', orgId, 'issue-files', issueKey] as const,
};

/** A folder as the API writes it in `dir`: "/" for the top, "/specs/2026/" below it. */
export const dirOf = (folder: readonly string[]) => (folder.length === 0 ? '/' : `/${folder.join('/')}/`);

/** A file's full path inside the project, for pickers and labels. */
export const pathOf = (file: Pick<SharedFile, 'dir' | 'name'>) => `${file.dir.endsWith('/') ? file.dir : `${file.dir}/`}${file.name}`;

export function useFolder(orgId: string, projectKey: string, folder: readonly string[]) {
  return useQuery({
    queryKey: fileKeys.folder(orgId, projectKey, folder),
    queryFn: () => backlog.get<SharedFile[]>(orgId, `/projects/${enc(projectKey)}/files/metadata/${folder.map(enc).join('/')}`, { count: 1000, order: 'asc' }),
    retry: false,
  });
}

export type FileAction = { upload: File; folder: readonly string[] } | { mkdir: string; folder: readonly string[] } | { remove: number };

export function useFileWrite(orgId: string, projectKey: string) {
  const base = `/projects/${enc(projectKey)}`;
  return useBacklogWrite(
    orgId,
    (action: FileAction) => {
      if ('upload' in action) return backlogUpload<SharedFile>(orgId, `${base}/files`, { dir: dirOf(action.folder) }, action.upload);
      if ('mkdir' in action) return backlog.post<SharedFile>(orgId, `${base}/directories`, { dir: dirOf(action.folder), name: action.mkdir });
      return backlog.delete<SharedFile>(orgId, `${base}/files/${action.remove}`);
    },
    () => [[...fileKeys.all(orgId, projectKey)]],
  );
}

export const downloadSharedFile = (orgId: string, projectKey: string, file: SharedFile) => backlogDownload(orgId, `/projects/${enc(projectKey)}/files/${file.id}`, file.name);

export function useIssueSharedFiles(orgId: string, issueKey: string) {
  return useQuery({ queryKey: fileKeys.issue(orgId, issueKey), queryFn: () => backlog.get<SharedFile[]>(orgId, `/issues/${enc(issueKey)}/sharedFiles`), retry: false });
}

export function useIssueFileLink(orgId: string, issueKey: string) {
  return useBacklogWrite(
    orgId,
    (action: { link: number[] } | { unlink: number }): Promise<unknown> =>
      'link' in action
        ? backlog.post<SharedFile[]>(orgId, `/issues/${enc(issueKey)}/sharedFiles`, { fileId: action.link })
        : backlog.delete<SharedFile>(orgId, `/issues/${enc(issueKey)}/sharedFiles/${action.unlink}`),
    () => [[...fileKeys.issue(orgId, issueKey)]],
  );
}
