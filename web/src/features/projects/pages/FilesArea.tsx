import { Link, useLocation } from 'wouter';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { isApiError } from '../../../lib/api';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { NewFolderForm, UploadForm } from '../components/FileForms';
import { FilesTable } from '../components/FilesTable';
import { useFolder } from '../files-api';
import { useCurrentProject } from '../project-context';

/** The folder named by the address: `…/files/specs/2026` → ["specs", "2026"]. */
function folderOf(location: string, base: string): string[] {
  const rest = location.startsWith(base) ? location.slice(base.length) : '';
  return rest
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
}

function Breadcrumb({ base, folder }: { base: string; folder: string[] }) {
  const t = useT();
  return (
    <nav aria-label={t('files.breadcrumb')}>
      <ol className="file-breadcrumb" data-testid="files-breadcrumb">
        <li>{folder.length === 0 ? <span aria-current="page">{t('files.top')}</span> : <Link href={base}>{t('files.top')}</Link>}</li>
        {folder.map((name, i) => {
          const last = i === folder.length - 1;
          const href = `${base}/${folder.slice(0, i + 1).map(encodeURIComponent).join('/')}`;
          return <li key={href}>{last ? <span aria-current="page">{name}</span> : <Link href={href}>{name}</Link>}</li>;
        })}
      </ol>
    </nav>
  );
}

/** The project's shared files (issue 3 §4): folders, upload, new folder, download, delete. */
export function FilesArea({ base }: { base: string }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const [location] = useLocation();
  const folder = folderOf(location, base);
  const list = useFolder(org.id, project.projectKey, folder);
  useDocumentTitle(`${t('projects.tab.files')} · ${project.name}`);
  if (!project.useFileSharing) return <Notice>{t('files.disabled')}</Notice>;
  const unavailable = list.error && isApiError(list.error) && list.error.status === 404 && folder.length === 0;
  return (
    <section className="page-section" aria-labelledby="files-heading" data-testid="files-area">
      <h2 id="files-heading" className="section-title">
        {t('projects.tab.files')}
      </h2>
      <Breadcrumb base={base} folder={folder} />
      {unavailable ? <Notice>{t('files.unavailable')}</Notice> : null}
      {list.isPending ? <Spinner /> : null}
      {unavailable ? null : <ErrorAlert error={list.error} />}
      {list.data && list.data.length === 0 ? <EmptyState title={t('files.empty')} /> : null}
      {list.data && list.data.length > 0 ? <FilesTable base={base} folder={folder} rows={list.data} /> : null}
      {unavailable ? null : (
        <div className="files-forms">
          <UploadForm folder={folder} />
          <NewFolderForm folder={folder} />
        </div>
      )}
    </section>
  );
}
