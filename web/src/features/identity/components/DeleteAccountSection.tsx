import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Section } from '../../../components/Feedback';
import { CheckboxField, TextField } from '../../../components/Field';
import { isApiError } from '../../../lib/api';
import { useDeleteAccount } from '../account-api';
import type { OrgSummary } from '../types';
import { SecondFactorField, emptySecondFactor, secondFactorBody, type SecondFactor } from './SecondFactorField';

function blockingOrgNames(details: unknown, orgs: OrgSummary[]): string[] {
  if (typeof details !== 'object' || details === null || !('orgs' in details)) return [];
  const list = (details as { orgs: unknown }).orgs;
  if (!Array.isArray(list)) return [];
  return list.map((item: unknown) => {
    if (typeof item === 'string') return orgs.find((org) => org.id === item)?.name ?? item;
    if (typeof item === 'object' && item !== null) {
      const record = item as { id?: unknown; name?: unknown };
      if (typeof record.name === 'string') return record.name;
      if (typeof record.id === 'string') return orgs.find((org) => org.id === record.id)?.name ?? record.id;
    }
    return String(item);
  });
}

export function DeleteAccountSection() {
  const t = useT();
  const me = useSignedInMe();
  const remove = useDeleteAccount();
  const [password, setPassword] = useState('');
  const [factor, setFactor] = useState<SecondFactor>(emptySecondFactor);
  const [understood, setUnderstood] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const needsCode = me.account.twoFactorEnabled;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    remove.reset();
    setConfirming(true);
  };

  const submit = () => {
    remove.mutate(
      { password, ...(needsCode ? secondFactorBody(factor) : {}) },
      { onError: () => setConfirming(false) },
    );
  };

  const failure = remove.error;
  const blocking = isApiError(failure, 'account.last_admin') ? blockingOrgNames(failure.details, me.orgs) : null;

  return (
    <Section title={t('deleteAccount.title')} description={t('deleteAccount.description')} tone="danger">
      <div className="danger-callout">
        <p className="danger-callout-title">{t('deleteAccount.warningTitle')}</p>
        <ul>
          <li>{t('deleteAccount.warning1')}</li>
          <li>{t('deleteAccount.warning2')}</li>
          <li>{t('deleteAccount.warning3')}</li>
        </ul>
      </div>
      <form className="form" onSubmit={onSubmit} data-testid="delete-account-form">
        <TextField
          label={t('field.password')}
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
        />
        {needsCode ? <SecondFactorField value={factor} onChange={setFactor} /> : null}
        <CheckboxField label={t('deleteAccount.understand')} checked={understood} onChecked={setUnderstood} />
        {blocking ? (
          <ErrorAlert>
            <p>{t('error.account.last_admin')}</p>
            {blocking.length > 0 ? (
              <ul className="error-list">
                {blocking.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
            ) : null}
          </ErrorAlert>
        ) : (
          <ErrorAlert error={remove.error} />
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-danger" disabled={!understood || remove.isPending}>
            {t('deleteAccount.submit')}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('deleteAccount.confirmTitle')}
        confirmLabel={t('deleteAccount.confirm')}
        danger
        pending={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={submit}
      >
        <p>{t('deleteAccount.confirmBody', { email: me.account.email })}</p>
      </ConfirmDialog>
    </Section>
  );
}
