import { useLocale, useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, EmptyState, Spinner } from '../../../components/Feedback';
import { formatDateTime } from '../../../lib/format';
import { useOutbox } from '../api';

const LIMIT = 50;

/**
 * The mail outbox as operators may see it (W2.1, issue 16 §5): recipient domain, kind of mail,
 * status and time. Addresses, subjects and bodies carry org content and sign-in links: the API
 * never sends them here.
 */
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
        <div className="table-wrap">
          <table className="table" data-testid="outbox-list">
            <caption className="sr-only">{t('operator.outboxTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('operator.outboxTime')}</th>
                <th scope="col">{t('operator.outboxDomain')}</th>
                <th scope="col">{t('operator.outboxKind')}</th>
                <th scope="col">{t('operator.outboxStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {outbox.data.map((message) => (
                <tr key={message.id}>
                  <td>{formatDateTime(message.createdAt, locale)}</td>
                  <td>{message.recipientDomain}</td>
                  <td className="cell-muted">{message.kind}</td>
                  <td>
                    <Badge tone={message.status === 'sent' ? 'success' : message.status === 'failed' ? 'danger' : 'neutral'}>{message.status}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
