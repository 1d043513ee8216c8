import { useResendVerification } from '../../features/identity/api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../i18n';

export function VerifyBanner({ email }: { email: string }) {
  const t = useT();
  const resend = useResendVerification();
  return (
    <div className="banner" data-testid="verify-banner">
      <div className="banner-text">
        <strong>{t('verify.bannerTitle')}</strong>{' '}
        <span>{t('verify.bannerBody', { email })}</span>
        {resend.isSuccess ? (
          <span role="status" className="banner-status">
            {t('verify.resent')}
          </span>
        ) : null}
      </div>
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => resend.mutate()}
        disabled={resend.isPending || resend.isSuccess}
      >
        {resend.isPending ? t('common.sending') : t('verify.resend')}
      </button>
      {resend.error ? <ErrorAlert error={resend.error} /> : null}
    </div>
  );
}
