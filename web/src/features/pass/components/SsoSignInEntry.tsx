import { useState } from 'react';
import { useT } from '../../../app/i18n';
import { Notice } from '../../../components/ErrorAlert';
import { discoverSso } from '../sso-api';

/** "Sign in with SSO" on the sign-in page: finds the org's IdP by the email's verified domain. */
export function SsoSignInEntry({ email, ssoError }: { email: string; ssoError: string | null }) {
  const t = useT();
  const [message, setMessage] = useState<string | null>(null);
  const go = async () => {
    setMessage(null);
    const found = email.includes('@') ? await discoverSso(email.trim()).catch(() => ({ connections: [] })) : { connections: [] };
    const first = found.connections[0];
    if (first) window.location.assign(new URL(first.loginUrl).pathname);
    else setMessage(t('sso.noConnection'));
  };
  return (
    <div className="sso-entry" data-testid="sso-entry">
      {ssoError ? <Notice tone="warning">{t('sso.signInFailed', { code: ssoError })}</Notice> : null}
      {message ? <Notice tone="warning">{message}</Notice> : null}
      <button type="button" className="btn btn-block" onClick={() => void go()} data-testid="sso-signin">
        {t('sso.signIn')}
      </button>
    </div>
  );
}
