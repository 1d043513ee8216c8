import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Section } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { useChangeEmail } from '../account-api';

export function EmailSection() {
  const t = useT();
  const me = useSignedInMe();
  const change = useChangeEmail();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const needsCode = me.account.twoFactorEnabled;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { email: email.trim(), password, ...(needsCode ? { code: code.replace(/\s+/g, '') } : {}) },
      {
        onSuccess: () => {
          setOpen(false);
          setPassword('');
          setCode('');
        },
      },
    );
  };

  return (
    <Section title={t('email.title')} description={t('email.description')}>
      {change.isSuccess ? (
        <Notice tone="success">
          <p>{t('email.sent', { email: change.variables.email })}</p>
        </Notice>
      ) : null}
      {open ? (
        <form className="form" onSubmit={onSubmit} data-testid="email-form">
          <TextField
            label={t('email.new')}
            type="email"
            value={email}
            onValue={setEmail}
            autoComplete="email"
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
          {needsCode ? (
            <TextField
              label={t('signin.code')}
              value={code}
              onValue={setCode}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              maxLength={7}
              className="input-code"
              required
            />
          ) : null}
          <ErrorAlert error={change.error} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={change.isPending}>
              {change.isPending ? t('common.sending') : t('email.submit')}
            </button>
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="row-inline">
          <p>
            {t('email.current')} <strong>{me.account.email}</strong>
          </p>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => {
              change.reset();
              setOpen(true);
            }}
          >
            {t('email.change')}
          </button>
        </div>
      )}
    </Section>
  );
}
