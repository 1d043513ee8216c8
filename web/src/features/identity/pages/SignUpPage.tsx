import { useState, type FormEvent } from 'react';
import { Link, Redirect, useSearch } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { isLocale, useLocale, useT } from '../../../app/i18n';
import { homePath } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { SelectField, TextField } from '../../../components/Field';
import { safeNextPath } from '../../../lib/format';
import { useMe, useSignUp } from '../api';
import { MIN_PASSWORD } from '../types';

export function SignUpPage() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const next = safeNextPath(new URLSearchParams(useSearch()).get('next'));
  const { data: me } = useMe();
  const signUp = useSignUp();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [orgName, setOrgName] = useState('');

  if (me) return <Redirect to={next ?? homePath(me)} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate({ name: name.trim(), email: email.trim(), password, orgName: orgName.trim(), locale });
  };

  return (
    <AuthLayout
      title={t('signup.title')}
      subtitle={t('signup.subtitle')}
      footer={
        <p>
          {t('signup.haveAccount')}{' '}
          <Link href={next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'}>{t('signup.signIn')}</Link>
        </p>
      }
    >
      <form className="form" onSubmit={onSubmit} data-testid="signup-form">
        <TextField label={t('field.name')} value={name} onValue={setName} autoComplete="name" required autoFocus />
        <TextField
          label={t('field.email')}
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="email"
          required
        />
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
        <TextField
          label={t('signup.orgName')}
          value={orgName}
          onValue={setOrgName}
          autoComplete="organization"
          hint={t('signup.orgHint')}
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
        <ErrorAlert error={signUp.error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={signUp.isPending}>
          {signUp.isPending ? t('signup.submitting') : t('signup.submit')}
        </button>
        <p className="fine-print">{t('signup.fineprint')}</p>
      </form>
    </AuthLayout>
  );
}
