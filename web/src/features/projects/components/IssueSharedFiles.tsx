import { useState } from 'react';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { isApiError } from '../../../lib/api';
import { downloadSharedFile, pathOf, useIssueFileLink, useIssueSharedFiles } from '../files-api';
import { useCurrentProject } from '../project-context';
import type { Issue } from '../types';
import { SharedFilePicker } from './SharedFilePicker';

/** The shared files linked to an issue: download, unlink, link more from a picker. */
export function IssueSharedFiles({ issue }: { issue: Issue }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const files = useIssueSharedFiles(org.id, issue.issueKey);
  const link = useIssueFileLink(org.id, issue.issueKey);
  const [picking, setPicking] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  if (!project.useFileSharing) return null;
  const unavailable = files.error && isApiError(files.error) && files.error.status === 404;
  const rows = files.data ?? [];
  return (
    <section className="page-section" aria-labelledby="issue-files-heading" data-testid="issue-shared-files">
      <div className="section-toolbar">
        <h3 id="issue-files-heading" className="section-title">
          {t('files.linkedTitle')}
        </h3>
        {unavailable || picking ? null : (
          <button type="button" className="btn btn-sm" onClick={() => setPicking(true)} data-testid="issue-files-link">
            {t('files.linkFiles')}
          </button>
        )}
      </div>
      {unavailable ? <Notice>{t('files.unavailable')}</Notice> : <ErrorAlert error={files.error} />}
      {files.isPending ? <Spinner /> : null}
      {files.data && rows.length === 0 ? <p className="muted">{t('files.noneLinked')}</p> : null}
      {rows.length > 0 ? (
        <ul className="row-list" data-testid="issue-files-list">
          {rows.map((file) => (
            <li key={file.id} className="row-item" data-testid="issue-file">
              <div className="row-main">
                <span className="row-title">{file.name}</span>
                <span className="row-meta">{pathOf(file)}</span>
              </div>
              <div className="button-row">
                <button
                  type="button"
                  className="btn btn-sm"
                  onClick={() => {
                    setDownloadError(null);
                    downloadSharedFile(org.id, project.projectKey, file).catch(setDownloadError);
                  }}
                  aria-label={t('files.downloadNamed', { name: file.name })}
                >
                  {t('files.download')}
                </button>
                <button
                  type="button"
                  className="btn btn-sm btn-ghost-danger"
                  disabled={link.isPending}
                  onClick={() => link.mutate({ unlink: file.id })}
                  aria-label={t('files.unlinkNamed', { name: file.name })}
                  data-testid="issue-file-unlink"
                >
                  {t('files.unlink')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorAlert error={downloadError ?? link.error} />
      {picking ? (
        <SharedFilePicker
          linked={new Set(rows.map((f) => f.id))}
          pending={link.isPending}
          onCancel={() => setPicking(false)}
          onPick={(ids) => link.mutate({ link: ids }, { onSuccess: () => setPicking(false) })}
        />
      ) : null}
    </section>
  );
}
