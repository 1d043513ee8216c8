import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { isLocale, useLocale, useT, type Locale } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateOrg } from '../org-api';

export function NewOrgPage() {
  const t = useT();
  const { locale: uiLocale } = useLocale();
  const [, navigate] = useLocation();
  const create = useCreateOrg();
  const [name, setName] = useState('');
  const [locale, setLocale] = useState<Locale>(uiLocale);
  useDocumentTitle(t('newOrg.title'));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), locale }, { onSuccess: (org) => navigate(`/orgs/${org.id}`) });
  };

  return (
    <div className="page page-narrow">
      <PageHeader title={t('newOrg.title')} description={t('newOrg.description')} />
      <form className="card form card-body-padded" onSubmit={onSubmit} data-testid="new-org-form">
        <TextField
          label={t('field.orgName')}
          value={name}
          onValue={setName}
          autoComplete="organization"
          required
          autoFocus
        />
        <SelectField
          label={t('newOrg.locale')}
          hint={t('newOrg.localeHint')}
          value={locale}
          onValue={(value) => {
            if (isLocale(value)) setLocale(value);
          }}
          options={[
            { value: 'ja', label: '日本語' },
            { value: 'en', label: 'English' },
          ]}
        />
        <ErrorAlert error={create.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('common.creating') : t('newOrg.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
