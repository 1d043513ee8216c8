import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { isLocale, useLocale, useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { isApiError } from '../../../lib/api';
import { formatDate } from '../../../lib/format';
import { useAcceptInvitation, useInvitationPreview, useMe, useSignOut } from '../api';
import { MIN_PASSWORD, type InvitationPreview } from '../types';

function NewAccountForm({ token, preview }: { token: string; preview: InvitationPreview }) {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const accept = useAcceptInvitation(token);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate({ name: name.trim(), password, locale });
  };

  return (
    <form className="form" onSubmit={onSubmit} data-testid="accept-invitation-form">
      <div className="field">
        <span className="field-label">{t('field.email')}</span>
        <p className="static-value">{preview.email}</p>
      </div>
      <TextField label={t('field.name')} value={name} onValue={setName} autoComplete="name" required autoFocus />
      <TextField
        label={t('field.password')}
        type="password"
        value={password}
        onValue={setPassword}
        autoComplete="new-password"
        minLength={MIN_PASSWORD}
        hint={t('field.passwordHint', { min: MIN_PASSWORD })}
        required
      />
      <SelectField
        label={t('common.language')}
        value={locale}
        onValue={(value) => {
          if (isLocale(value)) setLocale(value);
        }}
        options={[
          { value: 'ja', label: '日本語' },
          { value: 'en', label: 'English' },
        ]}
      />
      <ErrorAlert error={accept.error}>
        {/* W8.3: the org enforces SSO for this address: sign in through it, then come back to the link. */}
        {isApiError(accept.error, 'auth.sso_required') ? (
          <p>
            <Link href={`/signin?next=${encodeURIComponent(`/invite/${token}`)}`} data-testid="invite-sso-signin">
              {t('sso.signIn')}
            </Link>
          </p>
        ) : null}
      </ErrorAlert>
      <button type="submit" className="btn btn-primary btn-block" disabled={accept.isPending}>
        {accept.isPending ? t('common.working') : t('invite.createAndJoin')}
      </button>
    </form>
  );
}

function AcceptAsSignedIn({ token }: { token: string }) {
  const t = useT();
  const accept = useAcceptInvitation(token);
  return (
    <div className="form">
      <ErrorAlert error={accept.error} />
      <button
        type="button"
        className="btn btn-primary btn-block"
        data-testid="accept-invitation"
        disabled={accept.isPending}
        onClick={() => accept.mutate({})}
      >
        {accept.isPending ? t('common.working') : t('invite.accept')}
      </button>
    </div>
  );
}

function WrongAccount({ signedInAs, invited }: { signedInAs: string; invited: string }) {
  const t = useT();
  const signOut = useSignOut();
  return (
    <div className="form">
      <Notice tone="warning">
        <p>{t('invite.wrongAccount', { current: signedInAs, invited })}</p>
      </Notice>
      <button type="button" className="btn btn-block" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        {t('invite.signOutToContinue')}
      </button>
    </div>
  );
}

export function InvitePage({ token }: { token: string }) {
  const t = useT();
  const { locale } = useLocale();
  const preview = useInvitationPreview(token);
  const me = useMe();

  if (preview.isPending || me.isPending) {
    return (
      <AuthLayout title={t('invite.title')}>
        <Spinner />
      </AuthLayout>
    );
  }

  if (preview.isError) {
    return (
      <AuthLayout title={t('invite.title')} languageSwitch>
        <ErrorAlert error={preview.error}>
          <p>{t('invite.invalid')}</p>
        </ErrorAlert>
        <div className="form-actions">
          <Link href="/" className="btn btn-block">
            {t('notFound.home')}
          </Link>
        </div>
      </AuthLayout>
    );
  }

  const info = preview.data;
  const account = me.data?.account;
  const matches = account && account.email.toLowerCase() === info.email.toLowerCase();
  const signInHref = `/signin?next=${encodeURIComponent(`/invite/${token}`)}`;

  return (
    <AuthLayout
      title={t('invite.joinTitle', { org: info.orgName })}
      languageSwitch={!account}
      wide={!account && !info.accountExists}
    >
      <div className="invite-summary">
        <p>{info.inviterName
            ? t('invite.summary', { inviter: info.inviterName, org: info.orgName, role: t(`role.${info.role}`) })
            : t('invite.summaryNoInviter', { org: info.orgName, role: t(`role.${info.role}`) })}</p>
        <p className="muted small">
          {t('invite.sentTo', { email: info.email })} · {t('invite.expires', { date: formatDate(info.expiresAt, locale) })}
        </p>
      </div>
      {account ? (
        matches ? (
          <AcceptAsSignedIn token={token} />
        ) : (
          <WrongAccount signedInAs={account.email} invited={info.email} />
        )
      ) : info.accountExists ? (
        <div className="form">
          <Notice>
            <p>{t('invite.signInFirst', { email: info.email })}</p>
          </Notice>
          <Link href={signInHref} className="btn btn-primary btn-block">
            {t('invite.signInToAccept')}
          </Link>
        </div>
      ) : (
        <NewAccountForm token={token} preview={info} />
      )}
    </AuthLayout>
  );
}
