import { useState } from 'react';
import { Link } from 'wouter';
import { useLocale, useT, type MessageKey } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, EmptyState, Spinner } from '../../../components/Feedback';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { PersonalPage } from '../components/PersonalPage';
import { useMarkNotificationRead, useNotifications } from '../social-api';
import type { BacklogNotification } from '../types';

/** Backlog's notification reasons, in plain words; anything newer reads as "other". */
const KNOWN_REASONS = new Set([1, 2, 3, 4, 5, 6, 9]);
const reasonKey = (reason: number) => `notifications.reason.${KNOWN_REASONS.has(reason) ? reason : 9}` as MessageKey;

function NotificationRow({ item }: { item: BacklogNotification }) {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const mark = useMarkNotificationRead(org.id);
  const issue = item.issue ?? null;
  const href = issue && item.project ? `/orgs/${org.id}/projects/${item.project.projectKey}/issues/${issue.issueKey}${item.comment ? `#comment-${item.comment.id}` : ''}` : null;
  const markRead = () => {
    if (!item.alreadyRead) mark.mutate(item.id);
  };
  return (
    <li className={item.alreadyRead ? 'row-item' : 'row-item notification-unread'} data-testid="notification" data-read={item.alreadyRead}>
      <div className="row-main">
        <p className="row-title">
          {item.alreadyRead ? null : <Badge tone="accent">{t('notifications.unread')}</Badge>}{' '}
          {t(reasonKey(item.reason), { name: item.sender.name })}
        </p>
        {href && issue ? (
          <Link href={href} onClick={markRead} data-testid="notification-link">
            {issue.issueKey} {issue.summary}
          </Link>
        ) : item.project ? (
          <span>{item.project.name}</span>
        ) : null}
        {item.comment?.content ? <p className="row-meta pre-wrap notification-excerpt">{item.comment.content}</p> : null}
        <p className="row-meta">{formatDateTime(item.created, locale)}</p>
        <ErrorAlert error={mark.error} />
      </div>
      {item.alreadyRead ? null : (
        <button type="button" className="btn btn-sm" onClick={markRead} disabled={mark.isPending} data-testid="notification-mark-read">
          {t('notifications.markRead')}
          <span className="sr-only">{issue ? `: ${issue.issueKey}` : ''}</span>
        </button>
      )}
    </li>
  );
}

export function NotificationsPage() {
  const t = useT();
  const org = useCurrentOrg();
  const [maxId, setMaxId] = useState<number | undefined>(undefined);
  const list = useNotifications(org.id, maxId);
  const markAll = useMarkNotificationRead(org.id);
  useDocumentTitle(t('notifications.title'));
  const items = list.data ?? [];
  const hasUnread = items.some((n) => !n.alreadyRead);
  return (
    <PersonalPage title={t('notifications.title')} description={t('notifications.description')} testId="notifications-page">
      <section className="page-section" aria-labelledby="notifications-heading">
        <div className="section-toolbar">
          <h2 id="notifications-heading" className="section-title">
            {maxId === undefined ? t('notifications.latest') : t('notifications.older')}
          </h2>
          <button type="button" className="btn btn-sm" onClick={() => markAll.mutate('all')} disabled={markAll.isPending || !hasUnread} data-testid="notifications-mark-all">
            {t('notifications.markAllRead')}
          </button>
        </div>
        <ErrorAlert error={markAll.error} />
        {list.isPending ? <Spinner /> : null}
        <ErrorAlert error={list.error} />
        {list.data && items.length === 0 ? <EmptyState title={t('notifications.empty')} /> : null}
        {items.length > 0 ? (
          <ol className="row-list" data-testid="notifications-list">
            {items.map((item) => (
              <NotificationRow key={item.id} item={item} />
            ))}
          </ol>
        ) : null}
        <div className="button-row">
          {maxId !== undefined ? (
            <button type="button" className="btn btn-sm" onClick={() => setMaxId(undefined)}>
              {t('notifications.newest')}
            </button>
          ) : null}
          {items.length === 20 ? (
            <button type="button" className="btn btn-sm" onClick={() => setMaxId(Math.min(...items.map((n) => n.id)) - 1)} data-testid="notifications-older">
              {t('notifications.showOlder')}
            </button>
          ) : null}
        </div>
      </section>
    </PersonalPage>
  );
}
