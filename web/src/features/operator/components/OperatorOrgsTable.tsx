import { useLocale, useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, EmptyState, Spinner } from '../../../components/Feedback';
import { formatDate, formatNumber } from '../../../lib/format';
import { useOperatorOrgs, type OperatorStore } from '../api';

function StoreList({ stores }: { stores: OperatorStore[] }) {
  const t = useT();
  const { locale } = useLocale();
  if (stores.length === 0) return <span className="cell-muted">—</span>;
  return (
    <ul className="store-list">
      {stores.map((store) => {
        const rows = store.kinds.reduce((sum, kind) => sum + kind.rows, 0);
        return (
          <li key={`${store.module}-${store.region}`} className="store">
            <span className="store-name">
              {store.module}
              <span className="store-region">{store.region}</span>
            </span>
            <span className="store-rows">
              {t('operator.rows', { count: formatNumber(rows, locale) })}
              {store.kinds.length > 0 ? (
                <span className="store-kinds">
                  {' '}
                  ({store.kinds.map((kind) => `${kind.kind} ${formatNumber(kind.rows, locale)}`).join(', ')})
                </span>
              ) : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function OperatorOrgsTable() {
  const t = useT();
  const { locale } = useLocale();
  const orgs = useOperatorOrgs();

  if (orgs.isPending) return <Spinner />;
  if (orgs.isError) return <ErrorAlert error={orgs.error} />;
  if (orgs.data.length === 0) return <EmptyState title={t('operator.noOrgs')} />;

  return (
    <div className="table-wrap">
      <table className="table" data-testid="operator-orgs-table">
        <caption className="sr-only">{t('operator.orgsTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('operator.orgName')}</th>
            <th scope="col">{t('operator.orgId')}</th>
            <th scope="col">{t('operator.created')}</th>
            <th scope="col">{t('operator.planState')}</th>
            <th scope="col" className="num">
              {t('operator.memberCount')}
            </th>
            <th scope="col">{t('operator.stores')}</th>
          </tr>
        </thead>
        <tbody>
          {orgs.data.map((org) => (
            <tr key={org.id}>
              <td className="strong">{org.name}</td>
              <td>
                <code className="mono-id">{org.id}</code>
              </td>
              <td className="cell-muted nowrap">{formatDate(org.createdAt, locale)}</td>
              <td>
                <Badge tone={org.planState === 'active' ? 'success' : 'neutral'}>{org.planState}</Badge>
              </td>
              <td className="num">{formatNumber(org.memberCount, locale)}</td>
              <td>
                <StoreList stores={org.stores} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
