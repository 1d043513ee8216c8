import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { TextField } from '../../../components/Field';
import { useSignInTwoFactor } from '../api';

export function TwoFactorStep({ challengeId, onBack }: { challengeId: string; onBack: () => void }) {
  const t = useT();
  const verify = useSignInTwoFactor();
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    verify.mutate(
      useRecovery
        ? { challengeId, recoveryCode: recoveryCode.trim() }
        : { challengeId, code: code.replace(/\s+/g, '') },
    );
  };

  return (
    <form className="form" onSubmit={onSubmit} data-testid="two-factor-form">
      <p className="muted">{useRecovery ? t('signin.recoveryIntro') : t('signin.codeIntro')}</p>
      {useRecovery ? (
        <TextField
          key="recovery"
          label={t('signin.recoveryCode')}
          value={recoveryCode}
          onValue={setRecoveryCode}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
        />
      ) : (
        <TextField
          key="code"
          label={t('signin.code')}
          value={code}
          onValue={setCode}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          className="input-code"
          required
          autoFocus
        />
      )}
      <ErrorAlert error={verify.error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={verify.isPending}>
        {verify.isPending ? t('common.verifying') : t('signin.verify')}
      </button>
      <div className="form-links">
        <button
          type="button"
          className="link-button"
          onClick={() => {
            verify.reset();
            setUseRecovery((value) => !value);
          }}
        >
          {useRecovery ? t('signin.useCode') : t('signin.useRecovery')}
        </button>
        <button type="button" className="link-button" onClick={onBack}>
          {t('signin.back')}
        </button>
      </div>
    </form>
  );
}
