import { useState, type FormEvent } from 'react';
import { useLocale, useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, PageHeader, Section } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { formatDateTime } from '../../../lib/format';
import { useClassicApiKeys, useClassicPasswordChange, useCreateClassicApiKey, useRevokeClassicApiKey, type ClassicMe } from '../api';

/** A classic user's own settings: password and personal API keys (guests have none, anchors §1.1). */
export function ClassicAccountPage({ me }: { me: ClassicMe }) {
  const t = useT();
  return (
    <div className="page page-narrow">
      <PageHeader title={t('classic.account')} />
      <PasswordSection me={me} />
      <Section title={t('classic.keysTitle')}>{me.roleType >= 5 ? <p>{t('classic.keysGuest')}</p> : <ApiKeys me={me} />}</Section>
    </div>
  );
}

function PasswordSection({ me }: { me: ClassicMe }) {
  const t = useT();
  const change = useClassicPasswordChange(me);
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ currentPassword, newPassword }, { onSuccess: () => (setCurrent(''), setNew('')) });
  };
  return (
    <Section title={t('classic.passwordTitle')}>
      <form className="form" onSubmit={onSubmit} data-testid="classic-password-form">
        <TextField label={t('classic.currentPassword')} type="password" value={currentPassword} onValue={setCurrent} autoComplete="current-password" required />
        <TextField label={t('classic.newPassword')} type="password" value={newPassword} onValue={setNew} autoComplete="new-password" minLength={10} required />
        {change.isSuccess ? <Notice tone="success">{t('classic.passwordChanged')}</Notice> : null}
        <ErrorAlert error={change.error} />
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          {t('classic.passwordSubmit')}
        </button>
      </form>
    </Section>
  );
}

function ApiKeys({ me }: { me: ClassicMe }) {
  const t = useT();
  const { locale } = useLocale();
  const keys = useClassicApiKeys(me, true);
  const create = useCreateClassicApiKey(me);
  const revoke = useRevokeClassicApiKey(me);
  const [name, setName] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), { onSuccess: () => setName('') });
  };
  const list = keys.data?.apiKeys ?? [];
  return (
    <>
      <p>{t('classic.keysIntro')}</p>
      <form className="form form-inline" onSubmit={onSubmit} data-testid="classic-key-form">
        <TextField label={t('classic.keyName')} value={name} onValue={setName} required maxLength={100} />
        <div className="form-inline-action">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {t('classic.keyCreate')}
          </button>
        </div>
      </form>
      {create.data ? (
        <Notice tone="success" testId="classic-key-secret">
          {t('classic.keyCreated')} <code>{create.data.secret}</code>
        </Notice>
      ) : null}
      <ErrorAlert error={create.error ?? revoke.error ?? keys.error} />
      {list.length === 0 ? (
        <EmptyState title={t('classic.keysEmpty')} />
      ) : (
        <ul className="list">
          {list.map((key) => (
            <li key={key.id} className="list-row">
              <span>
                <strong>{key.name}</strong> <code>{key.prefix}</code>{' '}
                {key.lastUsedAt ? t('classic.keyLastUsed', { at: formatDateTime(key.lastUsedAt, locale) }) : t('classic.keyNeverUsed')}
              </span>
              <button type="button" className="btn btn-ghost btn-sm" aria-label={t('classic.keyRevokeNamed', { name: key.name })} onClick={() => revoke.mutate(key.id)} disabled={revoke.isPending}>
                {t('classic.keyRevoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
