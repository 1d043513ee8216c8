import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { TextField } from '../../../components/Field';
import { useQueryClient } from '@tanstack/react-query';
import { endSession, useConfirmPasswordReset } from '../api';
import { MIN_PASSWORD } from '../types';

export function ResetPasswordPage() {
  const t = useT();
  const qc = useQueryClient();
  const [, navigate] = useLocation();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const reset = useConfirmPasswordReset();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const mismatch = confirmation.length > 0 && password !== confirmation;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirmation) return;
    reset.mutate(
      { token, password },
      {
        onSuccess: () => {
          endSession(qc);
          navigate('/signin?reset=1', { replace: true });
        },
      },
    );
  };

  return (
    <AuthLayout
      title={t('reset.title')}
      subtitle={t('reset.subtitle')}
      languageSwitch
      footer={
        <p>
          <Link href="/signin">{t('forgot.backToSignIn')}</Link>
        </p>
      }
    >
      {!token ? (
        <ErrorAlert>
          <p>{t('reset.missingToken')}</p>
        </ErrorAlert>
      ) : (
        <form className="form" onSubmit={onSubmit} data-testid="reset-form">
          <TextField
            label={t('reset.newPassword')}
            type="password"
            value={password}
            onValue={setPassword}
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            hint={t('field.passwordHint', { min: MIN_PASSWORD })}
            required
            autoFocus
          />
          <TextField
            label={t('reset.confirmPassword')}
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
          <ErrorAlert error={reset.error} />
          <button type="submit" className="btn btn-primary btn-block" disabled={reset.isPending || mismatch}>
            {reset.isPending ? t('common.saving') : t('reset.submit')}
          </button>
        </form>
      )}
    </AuthLayout>
  );
}
