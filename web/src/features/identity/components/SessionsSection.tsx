import { useLocale, useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, EmptyState, Section, Spinner } from '../../../components/Feedback';
import { describeUserAgent, formatDateTime } from '../../../lib/format';
import { useRevokeOtherSessions, useRevokeSession, useSessions } from '../account-api';

export function SessionsSection() {
  const t = useT();
  const { locale } = useLocale();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  const hasOthers = Boolean(sessions.data?.some((session) => !session.current));

  return (
    <Section title={t('sessions.title')} description={t('sessions.description')}>
      {sessions.isPending ? <Spinner /> : null}
      <ErrorAlert error={sessions.error ?? revoke.error ?? revokeOthers.error} />
      {sessions.data && sessions.data.length === 0 ? <EmptyState title={t('sessions.empty')} /> : null}
      {sessions.data && sessions.data.length > 0 ? (
        <ul className="row-list" data-testid="sessions-list">
          {sessions.data.map((session) => (
            <li key={session.id} className="row-item">
              <div className="row-main">
                <p className="row-title">
                  {describeUserAgent(session.userAgent)}
                  {session.current ? <Badge tone="accent">{t('sessions.current')}</Badge> : null}
                </p>
                <p className="row-meta">
                  {session.ip || '—'} · {t('sessions.signedIn', { date: formatDateTime(session.createdAt, locale) })} ·{' '}
                  {t('sessions.lastSeen', { date: formatDateTime(session.lastSeenAt, locale) })}
                </p>
              </div>
              {session.current ? null : (
                <button
                  type="button"
                  className="btn btn-sm btn-ghost-danger"
                  onClick={() => revoke.mutate(session.id)}
                  disabled={revoke.isPending && revoke.variables === session.id}
                  aria-label={t('sessions.revokeFor', { device: describeUserAgent(session.userAgent) })}
                >
                  {t('sessions.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {hasOthers ? (
        <div className="form-actions">
          <button type="button" className="btn" data-testid="revoke-other-sessions" onClick={() => revokeOthers.mutate()} disabled={revokeOthers.isPending}>
            {t('sessions.revokeOthers')}
          </button>
        </div>
      ) : null}
    </Section>
  );
}
