import { useT } from '../../../app/i18n';
import { hasMessage } from '../../../app/i18n';
import { EmptyState } from '../../../components/Feedback';
import { serviceDates, utcDay, type Receipt, type ServiceState } from '../api';

export function stateLabel(t: ReturnType<typeof useT>, state: string): string {
  const key = `lifecycle.state.${state}`;
  return hasMessage(key) ? t(key) : state.replace(/_/g, ' ');
}

export function ServicesTable({ services, testId = 'lifecycle-services' }: { services: readonly ServiceState[]; testId?: string }) {
  const t = useT();
  if (services.length === 0) return <EmptyState title={t('lifecycle.servicesEmpty')} />;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <caption className="sr-only">{t('lifecycle.servicesTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('lifecycle.service')}</th>
            <th scope="col">{t('lifecycle.state')}</th>
            <th scope="col">{t('lifecycle.dates')}</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.service} data-service={s.service}>
              <td className="strong">{s.service}</td>
              <td>{stateLabel(t, s.state)}</td>
              <td className="cell-muted">
                {serviceDates(s)
                  .map(([key, value]) => `${key.replace(/At$/, '').replace(/([A-Z])/g, ' $1').toLowerCase()} ${utcDay(value)}`)
                  .join(', ') || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `linkFor` gives the receipt file's URL (org admins); operators see the org id instead. */
export function ReceiptsTable({ receipts, testId = 'lifecycle-receipts', linkFor }: { receipts: readonly Receipt[]; testId?: string; linkFor?: (r: Receipt) => string }) {
  const t = useT();
  if (receipts.length === 0) return <EmptyState title={t('lifecycle.receiptsEmpty')} />;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <caption className="sr-only">{t('lifecycle.receiptsTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('lifecycle.receiptId')}</th>
            <th scope="col">{t('lifecycle.receiptIssued')}</th>
            <th scope="col">{t('lifecycle.receiptFile')}</th>
          </tr>
        </thead>
        <tbody>
          {receipts.map((r) => (
            <tr key={r.id}>
              <td className="mono">{r.id}</td>
              <td>{r.createdAt ? utcDay(r.createdAt) : '—'}</td>
              <td>
                {linkFor ? (
                  <a href={linkFor(r)} download={`deletion-receipt-${r.id}.json`}>
                    {t('lifecycle.receiptDownload')}
                  </a>
                ) : (
                  <span className="cell-muted">{r.orgId ?? '—'}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
