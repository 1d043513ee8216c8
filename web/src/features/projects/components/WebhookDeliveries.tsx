import { useLocale, useT, type MessageKey } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, Spinner } from '../../../components/Feedback';
import { formatDateTime } from '../../../lib/format';
import type { DeliveryStatus, Webhook } from '../collab-types';
import { useCurrentProject } from '../project-context';
import { useWebhookDeliveries } from '../webhooks-api';
import { activityTypeLabel } from './WebhookForm';

const TONE: Record<DeliveryStatus, 'success' | 'warning' | 'danger'> = { delivered: 'success', pending: 'warning', failed: 'danger' };

/** A webhook's delivery log (Toride's addition): what was sent, how it went, when it is retried. */
export function WebhookDeliveries({ webhook }: { webhook: Webhook }) {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const deliveries = useWebhookDeliveries(org.id, project.projectKey, webhook.id);
  const rows = deliveries.data ?? [];
  return (
    <section className="page-section" aria-labelledby={`deliveries-${webhook.id}`} data-testid="webhook-deliveries">
      <h4 id={`deliveries-${webhook.id}`} className="section-title">
        {t('webhooks.deliveriesOf', { name: webhook.name })}
      </h4>
      {deliveries.isPending ? <Spinner /> : null}
      <ErrorAlert error={deliveries.error} />
      {deliveries.data && rows.length === 0 ? <p className="muted">{t('webhooks.noDeliveries')}</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="deliveries-table">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.delivery.created')}</th>
                <th scope="col">{t('webhooks.delivery.event')}</th>
                <th scope="col">{t('webhooks.delivery.status')}</th>
                <th scope="col">{t('webhooks.delivery.attempt')}</th>
                <th scope="col">{t('webhooks.delivery.response')}</th>
                <th scope="col">{t('webhooks.delivery.next')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td className="nowrap">{formatDateTime(d.created, locale)}</td>
                  <td>{t(activityTypeLabel(d.activityTypeId))}</td>
                  <td>
                    <Badge tone={TONE[d.status]}>{t(`webhooks.status.${d.status}` as MessageKey)}</Badge>
                  </td>
                  <td>{d.attempt}</td>
                  <td>{d.responseStatus ?? (d.error ? <span className="pre-wrap">{d.error}</span> : '—')}</td>
                  <td className="nowrap">{d.status === 'pending' && d.nextAttemptAt ? formatDateTime(d.nextAttemptAt, locale) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
