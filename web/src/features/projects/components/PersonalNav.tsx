import { Link, useLocation } from 'wouter';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { useUnreadCount } from '../social-api';

/** The bell: a link to the notifications page whose name says how many are unread. */
function BellIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.9 1.9 0 0 0 3.4 0" />
    </svg>
  );
}

/** Notifications (with the unread count), my stars and my watching list, beside the projects' title. */
export function PersonalNav() {
  const t = useT();
  const org = useCurrentOrg();
  const [location] = useLocation();
  const unread = useUnreadCount(org.id);
  const count = unread.data?.count ?? 0;
  const base = `/orgs/${org.id}/projects`;
  const current = (path: string) => (location === `${base}/${path}` ? 'page' : undefined);
  return (
    <nav className="personal-nav" aria-label={t('personal.navLabel')}>
      <Link
        href={`${base}/notifications`}
        className="btn btn-sm personal-bell"
        aria-current={current('notifications')}
        data-testid="notifications-bell"
      >
        <BellIcon />
        <span>{t('notifications.title')}</span>
        {count > 0 ? (
          <>
            <span className="badge badge-danger" aria-hidden="true" data-testid="notifications-count">
              {count > 99 ? '99+' : count}
            </span>
            <span className="sr-only">{t('notifications.unreadCount', { count })}</span>
          </>
        ) : null}
      </Link>
      <Link href={`${base}/stars`} className="btn btn-sm" aria-current={current('stars')} data-testid="my-stars-link">
        {t('stars.mine')}
      </Link>
      <Link href={`${base}/watching`} className="btn btn-sm" aria-current={current('watching')} data-testid="watching-link">
        {t('watching.title')}
      </Link>
    </nav>
  );
}
