import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { TextField } from '../../../components/Field';
import { useEnableTwoFactor, useTwoFactorSetup } from '../account-api';

export function TwoFactorSetup({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const t = useT();
  const setup = useTwoFactorSetup();
  const enable = useEnableTwoFactor();
  const [code, setCode] = useState('');

  if (!setup.data) {
    return (
      <div className="form">
        <p>{t('twoFactor.offBody')}</p>
        <ErrorAlert error={setup.error} />
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={() => setup.mutate()} disabled={setup.isPending}>
            {setup.isPending ? t('common.working') : t('twoFactor.start')}
          </button>
        </div>
      </div>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    enable.mutate(code.replace(/\s+/g, ''), { onSuccess: (result) => onEnabled(result.recoveryCodes) });
  };

  const qrSrc = `data:image/svg+xml;utf8,${encodeURIComponent(setup.data.qrSvg)}`;

  return (
    <div className="two-factor-setup">
      <ol className="steps">
        <li className="step">
          <p className="step-title">{t('twoFactor.step1')}</p>
          <div className="qr-block">
            <img src={qrSrc} alt={t('twoFactor.qrAlt')} width={176} height={176} className="qr" />
            <div className="qr-manual">
              <p className="muted small">{t('twoFactor.manual')}</p>
              <code className="secret" data-testid="two-factor-secret">
                {setup.data.secret}
              </code>
              <CopyButton text={setup.data.secret} />
            </div>
          </div>
        </li>
        <li className="step">
          <p className="step-title">{t('twoFactor.step2')}</p>
          <form className="form" onSubmit={onSubmit} data-testid="two-factor-enable-form">
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
            <ErrorAlert error={enable.error} />
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={enable.isPending}>
                {enable.isPending ? t('common.verifying') : t('twoFactor.enable')}
              </button>
              <button type="button" className="btn" onClick={() => setup.reset()}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}
