import { useState, type FormEvent } from 'react';
import { useLocale, useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { EmptyState, Section, Spinner } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { formatDate } from '../../../lib/format';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../account-api';
import type { ApiKey } from '../types';

function CreateKeyForm() {
  const t = useT();
  const me = useSignedInMe();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [orgId, setOrgId] = useState(me.orgs[0]?.id ?? '');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), orgId }, { onSuccess: () => setName('') });
  };

  if (me.orgs.length === 0) return <p className="muted">{t('apiKeys.noOrgs')}</p>;

  return (
    <form className="form" onSubmit={onSubmit} data-testid="api-key-form">
      <div className="form-inline">
        <TextField
          label={t('apiKeys.name')}
          value={name}
          onValue={setName}
          placeholder={t('apiKeys.namePlaceholder')}
          required
          maxLength={100}
        />
        <SelectField
          label={t('apiKeys.org')}
          value={orgId}
          onValue={setOrgId}
          options={me.orgs.map((org) => ({ value: org.id, label: org.name }))}
        />
        <div className="form-inline-action">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('common.creating') : t('apiKeys.create')}
          </button>
        </div>
      </div>
      <ErrorAlert error={create.error} />
      {create.data ? (
        <div className="secret-once" role="status" data-testid="api-key-secret">
          <p className="secret-once-title">{t('apiKeys.secretTitle', { name: create.data.apiKey.name })}</p>
          <p className="muted small">{t('apiKeys.secretBody')}</p>
          <div className="secret-row">
            <code className="secret">{create.data.secret}</code>
            <CopyButton text={create.data.secret} />
          </div>
        </div>
      ) : null}
    </form>
  );
}

export function ApiKeysSection() {
  const t = useT();
  const { locale } = useLocale();
  const me = useSignedInMe();
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const orgName = (orgId: string) => me.orgs.find((org) => org.id === orgId)?.name ?? t('apiKeys.unknownOrg');

  return (
    <>
      <Section title={t('apiKeys.createTitle')} description={t('apiKeys.description')}>
        <CreateKeyForm />
      </Section>
      <Section title={t('apiKeys.title')}>
        {keys.isPending ? <Spinner /> : null}
        <ErrorAlert error={keys.error} />
        {keys.data && keys.data.length === 0 ? <EmptyState title={t('apiKeys.empty')} /> : null}
        {keys.data && keys.data.length > 0 ? (
          <ul className="row-list" data-testid="api-keys-list">
            {keys.data.map((key) => (
              <li key={key.id} className="row-item">
                <div className="row-main">
                  <p className="row-title">
                    {key.name} <code className="key-prefix">{key.prefix}…</code>
                  </p>
                  <p className="row-meta">
                    {orgName(key.orgId)} · {t('apiKeys.created', { date: formatDate(key.createdAt, locale) })} ·{' '}
                    {key.lastUsedAt
                      ? t('apiKeys.lastUsed', { date: formatDate(key.lastUsedAt, locale) })
                      : t('apiKeys.neverUsed')}
                  </p>
                </div>
                <button
                  type="button"
                  className="btn btn-sm btn-ghost-danger"
                  onClick={() => {
                    revoke.reset();
                    setRevoking(key);
                  }}
                  aria-label={t('apiKeys.revokeFor', { name: key.name })}
                >
                  {t('apiKeys.revoke')}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </Section>
      <ConfirmDialog
        open={revoking !== null}
        title={t('apiKeys.revokeTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('apiKeys.revoke')}
        danger
        pending={revoke.isPending}
        error={revoke.error}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) });
        }}
      >
        <p>{t('apiKeys.revokeBody')}</p>
      </ConfirmDialog>
    </>
  );
}
