import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Badge, EmptyState, PageHeader, Section, Spinner } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useAddDomain, useDomains, useRemoveDomain, useVerifyDomain, type VerifiedDomain } from '../managed-api';

function AddDomainForm({ orgId }: { orgId: string }) {
  const t = useT();
  const add = useAddDomain(orgId);
  const [domain, setDomain] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(domain, { onSuccess: () => setDomain('') });
  };
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="domain-add-form">
      <TextField label={t('domains.domainField')} hint={t('domains.domainHint')} value={domain} onValue={setDomain} required maxLength={253} data-testid="domain-input" />
      <ErrorAlert error={add.error} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={add.isPending} data-testid="domain-add">
          {t('domains.add')}
        </button>
      </div>
    </form>
  );
}

function DomainRow({ orgId, domain, onRemove }: { orgId: string; domain: VerifiedDomain; onRemove: (d: VerifiedDomain) => void }) {
  const t = useT();
  const verify = useVerifyDomain(orgId);
  return (
    <tr data-testid={`domain-row-${domain.domain}`}>
      <td className="strong">{domain.domain}</td>
      <td>
        {domain.status === 'verified' ? <Badge tone="success">{t('domains.verified')}</Badge> : <Badge tone="warning">{t('domains.pending')}</Badge>}
      </td>
      <td>
        {domain.status === 'pending' ? (
          <dl className="kv small">
            <dt>{t('domains.recordName')}</dt>
            <dd>
              <code data-testid={`domain-txt-name-${domain.domain}`}>{domain.txtRecord.name}</code>
            </dd>
            <dt>{t('domains.recordValue')}</dt>
            <dd>
              <code data-testid={`domain-txt-value-${domain.domain}`}>{domain.txtRecord.value}</code> <CopyButton text={domain.txtRecord.value} />
            </dd>
          </dl>
        ) : (
          <span className="muted small">—</span>
        )}
        {verify.error ? <ErrorAlert error={verify.error} /> : null}
      </td>
      <td className="cell-actions">
        {domain.status === 'pending' ? (
          <button type="button" className="btn btn-sm" disabled={verify.isPending} onClick={() => verify.mutate(domain.id)} data-testid={`domain-verify-${domain.domain}`}>
            {t('domains.verify')}
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-sm btn-ghost-danger"
          onClick={() => onRemove(domain)}
          data-testid={`domain-remove-${domain.domain}`}
          aria-label={`${t('domains.remove')} ${domain.domain}`}
        >
          {t('domains.remove')}
        </button>
      </td>
    </tr>
  );
}

/** W8.3: the org's email domains and their DNS TXT proof (admins only). */
export function DomainsPage() {
  const t = useT();
  const org = useCurrentOrg();
  useDocumentTitle(t('domains.title'));
  const domains = useDomains(org.id);
  const remove = useRemoveDomain(org.id);
  const [removing, setRemoving] = useState<VerifiedDomain | null>(null);

  let list;
  if (domains.isPending) list = <Spinner />;
  else if (domains.isError) list = <ErrorAlert error={domains.error} />;
  else if (domains.data.domains.length === 0) list = <EmptyState title={t('domains.empty')} />;
  else
    list = (
      <div className="table-wrap">
        <table className="table" data-testid="domains-table">
          <caption className="sr-only">{t('domains.tableCaption', { org: org.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('domains.colDomain')}</th>
              <th scope="col">{t('domains.colStatus')}</th>
              <th scope="col">{t('domains.colRecord')}</th>
              <th scope="col">
                <span className="sr-only">{t('domains.colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {domains.data.domains.map((domain) => (
              <DomainRow key={domain.id} orgId={org.id} domain={domain} onRemove={setRemoving} />
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <div className="page" data-testid="domains-page">
      <PageHeader title={t('domains.title')} description={t('domains.description', { org: org.name })} />
      {org.myRole !== 'admin' ? (
        <Notice tone="warning">
          <p>{t('error.auth.forbidden')}</p>
        </Notice>
      ) : (
        <>
          <Section title={t('domains.addTitle')}>
            <AddDomainForm orgId={org.id} />
          </Section>
          <Section title={t('domains.listTitle')}>{list}</Section>
        </>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={t('domains.removeTitle', { domain: removing?.domain ?? '' })}
        confirmLabel={t('domains.remove')}
        danger
        pending={remove.isPending}
        error={remove.error}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
      >
        <p>{t('domains.removeBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
