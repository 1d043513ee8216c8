import { useLocale, useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { formatBytes } from '../../../lib/format';
import { useOperatorStores } from '../api';

export function OperatorStoresTable() {
  const t = useT();
  const { locale } = useLocale();
  const stores = useOperatorStores();

  if (stores.isPending) return <Spinner />;
  if (stores.isError) return <ErrorAlert error={stores.error} />;
  if (stores.data.length === 0) return <EmptyState title={t('operator.storesEmpty')} />;

  return (
    <div className="table-wrap">
      <table className="table" data-testid="operator-stores-table">
        <caption className="sr-only">{t('operator.storesTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('operator.module')}</th>
            <th scope="col">{t('operator.region')}</th>
            <th scope="col">{t('operator.dialect')}</th>
            <th scope="col" className="num">
              {t('operator.size')}
            </th>
          </tr>
        </thead>
        <tbody>
          {stores.data.map((store) => (
            <tr key={`${store.module}-${store.region}`}>
              <td className="strong">{store.module}</td>
              <td>{store.region}</td>
              <td className="cell-muted">{store.dialect}</td>
              <td className="num">{formatBytes(store.bytes, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
