import { useState } from 'react';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Badge, EmptyState, PageHeader, Section, Spinner } from '../../../components/Feedback';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { ManagedAccountForm } from '../components/ManagedAccountForm';
import { ConvertSection, ManagedImportSection } from '../components/ManagedImportSection';
import { useDeleteManaged, useManagedAccounts, useUnmanage, useUpdateManaged, type ManagedAccount } from '../managed-api';

type Pending = { kind: 'delete' | 'unmanage'; account: ManagedAccount } | null;

function AccountsTable({ orgId, orgName, onEdit, onAsk }: { orgId: string; orgName: string; onEdit: (a: ManagedAccount) => void; onAsk: (p: Pending) => void }) {
  const t = useT();
  const accounts = useManagedAccounts(orgId);
  const update = useUpdateManaged(orgId);
  if (accounts.isPending) return <Spinner />;
  if (accounts.isError) return <ErrorAlert error={accounts.error} />;
  if (accounts.data.accounts.length === 0) return <EmptyState title={t('managed.empty')} />;
  return (
    <>
      <ErrorAlert error={update.error} />
      <div className="table-wrap">
        <table className="table" data-testid="managed-table">
          <caption className="sr-only">{t('managed.tableCaption', { org: orgName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('managed.colName')}</th>
              <th scope="col">{t('managed.colEmail')}</th>
              <th scope="col">{t('managed.colRole')}</th>
              <th scope="col">{t('managed.colStatus')}</th>
              <th scope="col">
                <span className="sr-only">{t('managed.colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {accounts.data.accounts.map((account) => (
              <tr key={account.id} data-testid={`managed-row-${account.email}`}>
                <td className="strong">{account.name}</td>
                <td>{account.email}</td>
                <td>
                  <Badge>{t(`managed.role.${account.role}`)}</Badge>
                </td>
                <td>{account.active ? <Badge tone="success">{t('managed.active')}</Badge> : <Badge tone="warning">{t('managed.suspended')}</Badge>}</td>
                <td className="cell-actions">
                  <button type="button" className="btn btn-sm" onClick={() => onEdit(account)} data-testid={`managed-edit-${account.email}`} aria-label={`${t('managed.edit')} ${account.email}`}>
                    {t('managed.edit')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-sm"
                    disabled={update.isPending}
                    onClick={() => update.mutate({ id: account.id, active: !account.active })}
                    data-testid={`managed-toggle-${account.email}`}
                    aria-label={`${account.active ? t('managed.suspend') : t('managed.reactivate')} ${account.email}`}
                  >
                    {account.active ? t('managed.suspend') : t('managed.reactivate')}
                  </button>
                  <button type="button" className="btn btn-sm" onClick={() => onAsk({ kind: 'unmanage', account })} data-testid={`managed-unmanage-${account.email}`} aria-label={`${t('managed.unmanage')} ${account.email}`}>
                    {t('managed.unmanage')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-sm btn-ghost-danger"
                    onClick={() => onAsk({ kind: 'delete', account })}
                    data-testid={`managed-delete-${account.email}`}
                    aria-label={`${t('managed.delete')} ${account.email}`}
                  >
                    {t('managed.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** W8.3 / W4.5: accounts the org owns — create, edit, suspend, delete, CSV import, conversion. */
export function ManagedAccountsPage() {
  const t = useT();
  const org = useCurrentOrg();
  useDocumentTitle(t('managed.title'));
  const [editing, setEditing] = useState<ManagedAccount | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const remove = useDeleteManaged(org.id);
  const unmanage = useUnmanage(org.id);
  const action = pending?.kind === 'delete' ? remove : unmanage;

  if (org.myRole !== 'admin') {
    return (
      <div className="page">
        <PageHeader title={t('managed.title')} />
        <Notice tone="warning">
          <p>{t('error.auth.forbidden')}</p>
        </Notice>
      </div>
    );
  }
  return (
    <div className="page" data-testid="managed-page">
      <PageHeader title={t('managed.title')} description={t('managed.description', { org: org.name })} />
      <Section title={editing ? t('managed.editTitle', { name: editing.name }) : t('managed.createTitle')}>
        <ManagedAccountForm key={editing?.id ?? 'new'} orgId={org.id} editing={editing} onDone={() => setEditing(null)} />
      </Section>
      <Section title={t('managed.listTitle')}>
        <AccountsTable orgId={org.id} orgName={org.name} onEdit={setEditing} onAsk={setPending} />
      </Section>
      <ManagedImportSection orgId={org.id} />
      <ConvertSection orgId={org.id} />
      <ConfirmDialog
        open={pending !== null}
        title={pending ? t(pending.kind === 'delete' ? 'managed.deleteTitle' : 'managed.unmanageTitle', { name: pending.account.name }) : ''}
        confirmLabel={pending?.kind === 'delete' ? t('managed.delete') : t('managed.unmanage')}
        danger={pending?.kind === 'delete'}
        pending={action.isPending}
        error={action.error}
        onCancel={() => setPending(null)}
        onConfirm={() => pending && action.mutate(pending.account.id, { onSuccess: () => setPending(null) })}
      >
        <p>{pending?.kind === 'delete' ? t('managed.deleteBody') : t('managed.unmanageBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
