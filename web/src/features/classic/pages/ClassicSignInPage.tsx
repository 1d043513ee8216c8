import { useState, type FormEvent } from 'react';
import { Redirect, useLocation } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { TextField } from '../../../components/Field';
import { isApiError } from '../../../lib/api';
import { useClassicSession, useClassicSignIn } from '../api';

/**
 * `/classic/:spaceKey/sign-in`: a classic space's users sign in here, never on the platform's page.
 * The first sign-in asks for a new password in place of the mailed one (W8.2).
 */
export function ClassicSignInPage({ spaceKey }: { spaceKey: string }) {
  const t = useT();
  const [, navigate] = useLocation();
  const session = useClassicSession(spaceKey);
  const signIn = useClassicSignIn(spaceKey);
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const mustChange = isApiError(signIn.error, 'classic.password_change_required') || newPassword !== '';

  if (session.data) return <Redirect to={`/classic/${spaceKey}`} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (mustChange && newPassword !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    signIn.mutate({ userId: userId.trim(), password, ...(mustChange ? { newPassword } : {}) }, { onSuccess: () => navigate(`/classic/${spaceKey}`) });
  };
  const error = isApiError(signIn.error, 'classic.password_change_required') ? null : signIn.error;

  return (
    <AuthLayout title={mustChange ? t('classic.changeTitle') : t('classic.signInTitle')} subtitle={t('classic.signInSubtitle', { space: spaceKey })} languageSwitch>
      <form className="form" onSubmit={onSubmit} data-testid="classic-signin-form">
        <TextField label={t('classic.userId')} value={userId} onValue={setUserId} autoComplete="username" required autoFocus readOnly={mustChange} />
        <TextField label={t('field.password')} type="password" value={password} onValue={setPassword} autoComplete="current-password" required readOnly={mustChange} />
        {mustChange ? (
          <>
            <Notice tone="info">{t('classic.changeIntro')}</Notice>
            <TextField label={t('classic.newPassword')} type="password" value={newPassword} onValue={setNewPassword} autoComplete="new-password" minLength={10} required data-testid="classic-new-password" />
            <TextField label={t('classic.confirmPassword')} type="password" value={confirm} onValue={setConfirm} autoComplete="new-password" minLength={10} required data-testid="classic-confirm-password" />
            {mismatch ? <Notice tone="warning">{t('classic.mismatch')}</Notice> : null}
          </>
        ) : null}
        <ErrorAlert error={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={signIn.isPending} data-testid="classic-signin-submit">
          {signIn.isPending ? t('classic.submitting') : mustChange ? t('classic.changeSubmit') : t('classic.submit')}
        </button>
      </form>
    </AuthLayout>
  );
}
