import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { PageHeader, Section } from '../../../components/Feedback';
import { CheckboxField, TextField } from '../../../components/Field';
import { formatDate } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useSyncedState } from '../../../lib/use-synced-state';
import { useUpdateOrg } from '../org-api';
import type { Org } from '../types';

function RenameForm({ org }: { org: Org }) {
  const t = useT();
  const update = useUpdateOrg(org.id);
  const [name, setName] = useState(org.name);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: name.trim() });
  };

  return (
    <form className="form" onSubmit={onSubmit} data-testid="org-name-form">
      <TextField label={t('field.orgName')} value={name} onValue={setName} required maxLength={100} />
      <ErrorAlert error={update.error} />
      {update.isSuccess ? (
        <Notice tone="success">
          <p>{t('common.saved')}</p>
        </Notice>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending || name.trim() === org.name}>
          {update.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

function TwoFactorPolicy({ org }: { org: Org }) {
  const t = useT();
  const me = useSignedInMe();
  const update = useUpdateOrg(org.id);
  const [required, setRequired, revert] = useSyncedState(org.requireTwoFactor);
  return (
    <div className="form">
      {me.account.twoFactorEnabled ? null : (
        <Notice tone="warning">
          <p>{t('settings.selfTwoFactorWarning')}</p>
        </Notice>
      )}
      <CheckboxField
        label={t('settings.requireTwoFactor')}
        hint={t('settings.requireTwoFactorHint')}
        checked={required}
        disabled={update.isPending}
        onChecked={(requireTwoFactor) => {
          setRequired(requireTwoFactor);
          update.mutate({ requireTwoFactor }, { onError: revert });
        }}
      />
      <ErrorAlert error={update.error} />
      {update.isSuccess ? (
        <Notice tone="success">
          <p>{org.requireTwoFactor ? t('settings.requireTwoFactorOn') : t('settings.requireTwoFactorOff')}</p>
        </Notice>
      ) : null}
    </div>
  );
}

export function OrgSettingsPage() {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  useDocumentTitle(t('nav.settings'));

  if (!org.abilities.manageOrg) {
    return (
      <div className="page page-narrow">
        <PageHeader title={t('nav.settings')} />
        <Notice>
          <p>{t('settings.adminOnly')}</p>
        </Notice>
      </div>
    );
  }

  return (
    <div className="page page-narrow">
      <PageHeader
        title={t('nav.settings')}
        description={t('settings.description', { date: formatDate(org.createdAt, locale) })}
      />
      <Section title={t('settings.general')}>
        <RenameForm org={org} />
      </Section>
      <Section title={t('settings.security')}>
        <TwoFactorPolicy org={org} />
      </Section>
      <Section title={t('nav.projectSpace')}>
        <p>
          <Link href={`/orgs/${org.id}/settings/projects`} data-testid="org-settings-project-space-link">
            {t('spaceSettings.settingsLink')}
          </Link>
        </p>
      </Section>
    </div>
  );
}
