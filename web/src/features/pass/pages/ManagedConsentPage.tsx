import { Link, useSearch } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { useConfirmConsent, useConsentPreview } from '../managed-api';

/** The link in the conversion mail: the user sees which org asks, and agrees (W8.3). */
export function ManagedConsentPage() {
  const t = useT();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const preview = useConsentPreview(token);
  const confirm = useConfirmConsent();

  let body;
  if (!token) body = <ErrorAlert><p>{t('consent.missingToken')}</p></ErrorAlert>;
  else if (confirm.isSuccess)
    body = (
      <Notice tone="success" testId="consent-done">
        <p>{t('consent.done')}</p>
      </Notice>
    );
  else if (preview.isPending) body = <Spinner />;
  else if (preview.isError) body = <ErrorAlert error={preview.error} />;
  else
    body = (
      <div className="form" data-testid="consent-form">
        <p>{t('consent.body', { org: preview.data.orgName, email: preview.data.email })}</p>
        <ErrorAlert error={confirm.error} />
        <button type="button" className="btn btn-primary" disabled={confirm.isPending} onClick={() => confirm.mutate(token)} data-testid="consent-agree">
          {t('consent.agree')}
        </button>
      </div>
    );

  return (
    <AuthLayout
      title={t('consent.title')}
      languageSwitch
      footer={
        <p>
          <Link href="/signin">{t('forgot.backToSignIn')}</Link>
        </p>
      }
    >
      {body}
    </AuthLayout>
  );
}
