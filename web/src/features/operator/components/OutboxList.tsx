import { useLocale, useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, EmptyState, Spinner } from '../../../components/Feedback';
import { formatDateTime } from '../../../lib/format';
import { useOutbox } from '../api';

const LIMIT = 50;

export function OutboxList() {
  const t = useT();
  const { locale } = useLocale();
  const outbox = useOutbox(LIMIT);

  return (
    <>
      <div className="section-toolbar">
        <p className="muted small">{t('operator.outboxHint', { limit: LIMIT })}</p>
        <button type="button" className="btn btn-sm" onClick={() => void outbox.refetch()} disabled={outbox.isFetching}>
          {outbox.isFetching ? t('common.loading') : t('common.refresh')}
        </button>
      </div>
      {outbox.isPending ? <Spinner /> : null}
      <ErrorAlert error={outbox.error} />
      {outbox.data && outbox.data.length === 0 ? <EmptyState title={t('operator.outboxEmpty')} /> : null}
      {outbox.data && outbox.data.length > 0 ? (
        <ul className="outbox" data-testid="outbox-list">
          {outbox.data.map((message) => (
            <li key={message.id} className="outbox-item">
              <details>
                <summary className="outbox-summary">
                  <span className="outbox-subject">{message.subject}</span>
                  <span className="outbox-to">{message.to}</span>
                  <Badge tone={message.status === 'sent' ? 'success' : message.status === 'failed' ? 'danger' : 'neutral'}>
                    {message.status}
                  </Badge>
                  <span className="outbox-time">{formatDateTime(message.createdAt, locale)}</span>
                </summary>
                {message.error ? (
                  <p className="outbox-error" role="note">
                    {message.error}
                  </p>
                ) : null}
                {message.text === null ? (
                  <p className="outbox-text muted">{t('operator.outboxNoText')}</p>
                ) : (
                  <pre className="outbox-text">{message.text}</pre>
                )}
              </details>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
