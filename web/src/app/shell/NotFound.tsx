import { Link } from 'wouter';
import { useT } from '../i18n';
import { useDocumentTitle } from '../../lib/use-document-title';

export function NotFound({ kind = 'page' }: { kind?: 'page' | 'org' }) {
  const t = useT();
  const title = kind === 'org' ? t('notFound.orgTitle') : t('notFound.title');
  useDocumentTitle(title);
  return (
    <div className="not-found">
      <p className="not-found-code" aria-hidden="true">404</p>
      <h1 className="page-title">{title}</h1>
      <p className="muted">{kind === 'org' ? t('notFound.orgBody') : t('notFound.body')}</p>
      <Link href="/" className="btn btn-primary">
        {t('notFound.home')}
      </Link>
    </div>
  );
}
