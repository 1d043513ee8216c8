import { useEffect, useRef } from 'react';
import { Link, useSearch } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { isApiError } from '../../../lib/api';
import { useConfirmEmail, useMe } from '../api';

export function VerifyEmailPage() {
  const t = useT();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const confirm = useConfirmEmail();
  const { mutate } = confirm;
  const { data: me } = useMe();
  const sent = useRef<string | null>(null);

  useEffect(() => {
    if (!token || sent.current === token) return;
    sent.current = token;
    mutate(token);
  }, [token, mutate]);

  const continueHref = me ? '/' : '/signin';

  return (
    <AuthLayout title={t('verify.title')}>
      {!token ? (
        <ErrorAlert>
          <p>{t('verify.missingToken')}</p>
        </ErrorAlert>
      ) : confirm.isSuccess ? (
        <Notice tone="success" testId="verify-success">
          <p>{t('verify.success')}</p>
        </Notice>
      ) : confirm.isError ? (
        isApiError(confirm.error, 'email_verification.invalid_token') ? (
          <ErrorAlert>
            <p>{t('verify.failure')}</p>
          </ErrorAlert>
        ) : (
          <ErrorAlert error={confirm.error} />
        )
      ) : (
        <Spinner label={t('verify.checking')} />
      )}
      {!token || confirm.isSuccess || confirm.isError ? (
        <div className="form-actions">
          <Link href={continueHref} className="btn btn-primary btn-block">
            {me ? t('verify.continue') : t('verify.signIn')}
          </Link>
        </div>
      ) : null}
    </AuthLayout>
  );
}
