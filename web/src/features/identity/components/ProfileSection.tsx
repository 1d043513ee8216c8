import { useState, type FormEvent } from 'react';
import { isLocale, useT, type Locale } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Badge, Section } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { useUpdateProfile } from '../api';

export function ProfileSection() {
  const t = useT();
  const me = useSignedInMe();
  const update = useUpdateProfile();
  const [name, setName] = useState(me.account.name);
  const [locale, setLocale] = useState<Locale>(me.account.locale);
  const dirty = name.trim() !== me.account.name || locale !== me.account.locale;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: name.trim(), locale });
  };

  return (
    <Section title={t('account.profile')} description={t('account.profileDescription')}>
      <form className="form" onSubmit={onSubmit} data-testid="profile-form">
        <div className="field">
          <span className="field-label">{t('field.email')}</span>
          <p className="static-value">
            {me.account.email}{' '}
            {me.account.emailVerified ? (
              <Badge tone="success">{t('account.verified')}</Badge>
            ) : (
              <Badge tone="warning">{t('account.unverified')}</Badge>
            )}
          </p>
        </div>
        <TextField label={t('field.name')} value={name} onValue={setName} autoComplete="name" required />
        <SelectField
          label={t('common.language')}
          value={locale}
          onValue={(value) => {
            if (isLocale(value)) setLocale(value);
          }}
          options={[
            { value: 'ja', label: '日本語' },
            { value: 'en', label: 'English' },
          ]}
        />
        <ErrorAlert error={update.error} />
        {update.isSuccess && !dirty ? (
          <Notice tone="success">
            <p>{t('common.saved')}</p>
          </Notice>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={update.isPending || !dirty}>
            {update.isPending ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </Section>
  );
}
