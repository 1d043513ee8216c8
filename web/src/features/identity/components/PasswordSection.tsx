import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Section } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { useChangePassword } from '../account-api';
import { MIN_PASSWORD } from '../types';

export function PasswordSection() {
  const t = useT();
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const mismatch = confirmation.length > 0 && newPassword !== confirmation;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword('');
          setNewPassword('');
          setConfirmation('');
        },
      },
    );
  };

  return (
    <Section title={t('password.title')} description={t('password.description')}>
      <form className="form" onSubmit={onSubmit} data-testid="password-form">
        <TextField
          label={t('password.current')}
          type="password"
          value={currentPassword}
          onValue={setCurrentPassword}
          autoComplete="current-password"
          required
        />
        <TextField
          label={t('password.new')}
          type="password"
          value={newPassword}
          onValue={setNewPassword}
          autoComplete="new-password"
          minLength={MIN_PASSWORD}
          hint={t('field.passwordHint', { min: MIN_PASSWORD })}
          required
        />
        <TextField
          label={t('password.confirm')}
          type="password"
          value={confirmation}
          onValue={setConfirmation}
          autoComplete="new-password"
          aria-invalid={mismatch}
          required
        />
        {mismatch ? (
          <ErrorAlert>
            <p>{t('reset.mismatch')}</p>
          </ErrorAlert>
        ) : null}
        <ErrorAlert error={change.error} />
        {change.isSuccess ? (
          <Notice tone="success">
            <p>{t('password.changed')}</p>
          </Notice>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={change.isPending || mismatch}>
            {change.isPending ? t('common.saving') : t('password.submit')}
          </button>
        </div>
      </form>
    </Section>
  );
}
