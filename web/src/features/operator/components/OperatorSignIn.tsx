import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { TextField } from '../../../components/Field';
import { useOperatorSignIn } from '../api';

export function OperatorSignIn() {
  const t = useT();
  const signIn = useOperatorSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email: email.trim(), password, code: code.replace(/\s+/g, '') });
  };

  return (
    <form className="form" onSubmit={onSubmit} data-testid="operator-signin-form">
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
      <ErrorAlert error={signIn.error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={signIn.isPending}>
        {signIn.isPending ? t('signin.submitting') : t('signin.submit')}
      </button>
    </form>
  );
}
