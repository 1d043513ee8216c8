import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { TextField } from '../../../components/Field';
import { useRequestPasswordReset } from '../api';

export function ForgotPasswordPage() {
  const t = useT();
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(email.trim());
  };

  return (
    <AuthLayout
      title={t('forgot.title')}
      subtitle={request.isSuccess ? undefined : t('forgot.subtitle')}
      languageSwitch
      footer={
        <p>
          <Link href="/signin">{t('forgot.backToSignIn')}</Link>
        </p>
      }
    >
      {request.isSuccess ? (
        <Notice tone="success">
          <p>{t('forgot.sent', { email: email.trim() })}</p>
        </Notice>
      ) : (
        <form className="form" onSubmit={onSubmit} data-testid="forgot-form">
          <TextField
            label={t('field.email')}
            type="email"
            value={email}
            onValue={setEmail}
            autoComplete="email"
            required
            autoFocus
          />
          <ErrorAlert error={request.error} />
          <button type="submit" className="btn btn-primary btn-block" disabled={request.isPending}>
            {request.isPending ? t('common.sending') : t('forgot.submit')}
          </button>
        </form>
      )}
    </AuthLayout>
  );
}
