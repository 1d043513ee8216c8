import { useState, type FormEvent } from 'react';
import { Link, Redirect, useSearch } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { useT } from '../../../app/i18n';
import { homePath } from '../../../app/session';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { TextField } from '../../../components/Field';
import { safeNextPath } from '../../../lib/format';
import { isApiError } from '../../../lib/api';
import { SsoSignInEntry } from '../../pass/components/SsoSignInEntry';
import { discoverSso } from '../../pass/sso-api';
import { useMe, useSignIn } from '../api';
import { TwoFactorStep } from '../components/TwoFactorStep';

export function SignInPage() {
  const t = useT();
  const params = new URLSearchParams(useSearch());
  const next = safeNextPath(params.get('next'));
  const { data: me } = useMe();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challengeId, setChallengeId] = useState<string | null>(null);
  const [ssoHint, setSsoHint] = useState(false);

  if (me) return <Redirect to={next ?? homePath(me)} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSsoHint(false);
    signIn.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (result) => {
          if (result.status === 'two_factor_required') setChallengeId(result.challengeId);
        },
        // The server answers managed and SSO-only addresses like a wrong password (no enumeration);
        // the domain's SSO discovery (public, per domain, not per address) points such users to SSO.
        onError: (error) => {
          if (!isApiError(error, 'auth.invalid_credentials') || !email.includes('@')) return;
          void discoverSso(email.trim())
            .then((found) => setSsoHint(found.connections.length > 0))
            .catch(() => setSsoHint(false));
        },
      },
    );
  };

  const signUpHref = next ? `/signup?next=${encodeURIComponent(next)}` : '/signup';

  if (challengeId) {
    return (
      <AuthLayout title={t('signin.twoFactorTitle')} languageSwitch>
        <TwoFactorStep
          challengeId={challengeId}
          onBack={() => {
            setChallengeId(null);
            setPassword('');
            signIn.reset();
          }}
        />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title={t('signin.title')}
      subtitle={t('signin.subtitle')}
      languageSwitch
      footer={
        <p>
          {t('signin.noAccount')} <Link href={signUpHref}>{t('signin.createAccount')}</Link>
        </p>
      }
    >
      {params.get('deleted') ? <Notice tone="success">{t('signin.accountDeleted')}</Notice> : null}
      {params.get('reset') ? <Notice tone="success">{t('signin.passwordReset')}</Notice> : null}
      <form className="form" onSubmit={onSubmit} data-testid="signin-form">
        <TextField
          label={t('field.email')}
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="username"
          required
          autoFocus
        />
        <TextField
          label={t('field.password')}
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
        />
        <div className="form-row-end">
          <Link href="/forgot-password" className="small-link">
            {t('signin.forgot')}
          </Link>
        </div>
        <ErrorAlert error={signIn.error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={signIn.isPending}>
          {signIn.isPending ? t('signin.submitting') : t('signin.submit')}
        </button>
      </form>
      {ssoHint ? <Notice testId="signin-sso-hint">{t('signin.ssoHint')}</Notice> : null}
      <SsoSignInEntry email={email} ssoError={params.get('ssoError')} />
    </AuthLayout>
  );
}
