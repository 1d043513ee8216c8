import { useState } from 'react';
import { Link } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, EmptyState, Spinner } from '../../../components/Feedback';
import { CheckboxField } from '../../../components/Field';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useMyself } from '../api';
import { PersonalPage } from '../components/PersonalPage';
import type { Watching } from '../collab-types';
import { useMyWatchings, useWatchingWrite } from '../social-api';

function WatchingRow({ item }: { item: Watching }) {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const write = useWatchingWrite(org.id);
  const issue = item.issue;
  const name = issue ? issue.issueKey : String(item.id);
  const projectKey = issue ? issue.issueKey.slice(0, issue.issueKey.lastIndexOf('-')) : '';
  return (
    <li className={item.resourceAlreadyRead ? 'row-item' : 'row-item notification-unread'} data-testid="watching" data-read={item.resourceAlreadyRead}>
      <div className="row-main">
        <span className="row-title">
          {item.resourceAlreadyRead ? null : <Badge tone="accent">{t('watching.updated')}</Badge>}{' '}
          {issue ? (
            <Link href={`/orgs/${org.id}/projects/${projectKey}/issues/${issue.issueKey}`} onClick={() => (item.resourceAlreadyRead ? undefined : write.mutate({ markRead: item.id }))}>
              {issue.issueKey} {issue.summary}
            </Link>
          ) : (
            t('watching.gone')
          )}
        </span>
        {item.note ? <span className="row-meta pre-wrap">{item.note}</span> : null}
        <span className="row-meta">{t('watching.lastUpdated', { at: formatDateTime(item.lastContentUpdated, locale) })}</span>
        <ErrorAlert error={write.error} />
      </div>
      <div className="button-row">
        {item.resourceAlreadyRead ? null : (
          <button type="button" className="btn btn-sm" onClick={() => write.mutate({ markRead: item.id })} disabled={write.isPending} aria-label={t('watching.markReadNamed', { name })} data-testid="watching-mark-read">
            {t('watching.markRead')}
          </button>
        )}
        <button type="button" className="btn btn-sm btn-ghost-danger" onClick={() => write.mutate({ remove: item.id })} disabled={write.isPending} aria-label={t('watching.removeNamed', { name })} data-testid="watching-remove">
          {t('watching.remove')}
        </button>
      </div>
    </li>
  );
}

export function WatchingPage() {
  const t = useT();
  const org = useCurrentOrg();
  const myself = useMyself(org.id);
  const watchings = useMyWatchings(org.id, myself.data?.id);
  const [unreadOnly, setUnreadOnly] = useState(false);
  useDocumentTitle(t('watching.title'));
  const rows = (watchings.data ?? []).filter((w) => !unreadOnly || !w.resourceAlreadyRead);
  return (
    <PersonalPage title={t('watching.title')} description={t('watching.description')} testId="watching-page">
      <section className="page-section" aria-labelledby="watching-heading">
        <div className="section-toolbar">
          <h2 id="watching-heading" className="section-title">
            {t('watching.listTitle')}
          </h2>
          <CheckboxField label={t('watching.unreadOnly')} checked={unreadOnly} onChecked={setUnreadOnly} />
        </div>
        {watchings.isPending ? <Spinner /> : null}
        <ErrorAlert error={watchings.error ?? myself.error} />
        {watchings.data && rows.length === 0 ? <EmptyState title={t('watching.empty')} /> : null}
        {rows.length > 0 ? (
          <ul className="row-list" data-testid="watching-list">
            {rows.map((item) => (
              <WatchingRow key={item.id} item={item} />
            ))}
          </ul>
        ) : null}
      </section>
    </PersonalPage>
  );
}
