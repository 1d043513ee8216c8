import { useState } from 'react';
import { Link } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { isApiError } from '../../../lib/api';
import { formatBytes, formatDateTime } from '../../../lib/format';
import type { SharedFile } from '../collab-types';
import { downloadSharedFile, useFileWrite } from '../files-api';
import { useCurrentProject } from '../project-context';

/** One folder's contents: folders first (links into them), then files (download, delete). */
export function FilesTable({ base, folder, rows }: { base: string; folder: readonly string[]; rows: SharedFile[] }) {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const write = useFileWrite(org.id, project.projectKey);
  const [doomed, setDoomed] = useState<SharedFile | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const sorted = [...rows].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1));
  const hrefOf = (name: string) => `${base}/${[...folder, name].map(encodeURIComponent).join('/')}`;
  const download = (file: SharedFile) => {
    setDownloadError(null);
    downloadSharedFile(org.id, project.projectKey, file).catch(setDownloadError);
  };
  // The API refuses a non-empty folder with a plain 400; say why in the user's language.
  const removeError = doomed?.type === 'directory' && isApiError(write.error) && write.error.status === 400 ? new Error(t('files.folderNotEmpty')) : write.error;
  const remove = () => {
    if (doomed) write.mutate({ remove: doomed.id }, { onSuccess: () => setDoomed(null) });
  };
  return (
    <>
      <ErrorAlert error={downloadError} />
      <div className="table-wrap">
        <table className="table" data-testid="files-table">
          <caption className="sr-only">{t('files.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('files.name')}</th>
              <th scope="col">{t('files.size')}</th>
              <th scope="col">{t('files.updated')}</th>
              <th scope="col">
                <span className="sr-only">{t('files.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((file) => (
              <tr key={file.id} data-testid={`file-row-${file.name}`}>
                <td>
                  {file.type === 'directory' ? (
                    <Link href={hrefOf(file.name)} data-testid="folder-link">
                      <span aria-hidden="true">📁 </span>
                      {file.name}
                    </Link>
                  ) : (
                    <span>{file.name}</span>
                  )}
                </td>
                <td className="nowrap">{file.type === 'file' && file.size !== null ? formatBytes(file.size, locale) : '—'}</td>
                <td className="nowrap">
                  {(file.updatedUser ?? file.createdUser).name} · {formatDateTime(file.updated ?? file.created, locale)}
                </td>
                <td className="nowrap file-actions">
                  {file.type === 'file' ? (
                    <button type="button" className="btn btn-sm" onClick={() => download(file)} aria-label={t('files.downloadNamed', { name: file.name })} data-testid="file-download">
                      {t('files.download')}
                    </button>
                  ) : null}
                  <button type="button" className="btn btn-sm btn-ghost-danger" onClick={() => setDoomed(file)} aria-label={t('files.deleteNamed', { name: file.name })} data-testid="file-delete">
                    {t('files.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={doomed !== null}
        title={doomed?.type === 'directory' ? t('files.deleteFolderTitle', { name: doomed.name }) : t('files.deleteFileTitle', { name: doomed?.name ?? '' })}
        confirmLabel={t('files.delete')}
        danger
        pending={write.isPending}
        error={removeError}
        onConfirm={remove}
        onCancel={() => {
          write.reset();
          setDoomed(null);
        }}
      >
        <p>{doomed?.type === 'directory' ? t('files.deleteFolderBody') : t('files.deleteFileBody')}</p>
      </ConfirmDialog>
    </>
  );
}
