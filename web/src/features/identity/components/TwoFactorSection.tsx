import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Badge, Section } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { useDisableTwoFactor, useRegenerateRecoveryCodes } from '../account-api';
import { RecoveryCodes } from './RecoveryCodes';
import { SecondFactorField, emptySecondFactor, secondFactorBody, type SecondFactor } from './SecondFactorField';
import { TwoFactorSetup } from './TwoFactorSetup';

function RegenerateForm({ onCodes, onCancel }: { onCodes: (codes: string[]) => void; onCancel: () => void }) {
  const t = useT();
  const regenerate = useRegenerateRecoveryCodes();
  const [password, setPassword] = useState('');
  const [factor, setFactor] = useState<SecondFactor>(emptySecondFactor);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    regenerate.mutate(
      { password, ...secondFactorBody(factor) },
      { onSuccess: (result) => onCodes(result.recoveryCodes) },
    );
  };
  return (
    <form className="form subform" onSubmit={onSubmit} data-testid="regenerate-codes-form">
      <p className="muted">{t('twoFactor.regenerateBody')}</p>
      <TextField
        label={t('field.password')}
        type="password"
        value={password}
        onValue={setPassword}
        autoComplete="current-password"
        required
        autoFocus
      />
      <SecondFactorField value={factor} onChange={setFactor} />
      <ErrorAlert error={regenerate.error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={regenerate.isPending}>
          {regenerate.isPending ? t('common.working') : t('twoFactor.regenerate')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function DisableForm({ onCancel }: { onCancel: () => void }) {
  const t = useT();
  const disable = useDisableTwoFactor();
  const [password, setPassword] = useState('');
  const [factor, setFactor] = useState<SecondFactor>(emptySecondFactor);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    disable.mutate({ password, ...secondFactorBody(factor) }, { onSuccess: onCancel });
  };
  return (
    <form className="form subform" onSubmit={onSubmit} data-testid="disable-two-factor-form">
      <Notice tone="warning">
        <p>{t('twoFactor.disableWarning')}</p>
      </Notice>
      <TextField
        label={t('field.password')}
        type="password"
        value={password}
        onValue={setPassword}
        autoComplete="current-password"
        required
        autoFocus
      />
      <SecondFactorField value={factor} onChange={setFactor} />
      <ErrorAlert error={disable.error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-danger" disabled={disable.isPending}>
          {disable.isPending ? t('common.working') : t('twoFactor.disable')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function TwoFactorSection() {
  const t = useT();
  const me = useSignedInMe();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [mode, setMode] = useState<'idle' | 'regenerate' | 'disable'>('idle');
  const enabled = me.account.twoFactorEnabled;

  return (
    <Section
      title={
        <span className="title-with-badge">
          {t('twoFactor.title')}
          {enabled ? <Badge tone="success">{t('twoFactor.on')}</Badge> : <Badge>{t('twoFactor.off')}</Badge>}
        </span>
      }
      description={t('twoFactor.description')}
    >
      {codes ? <RecoveryCodes codes={codes} onDone={() => setCodes(null)} /> : null}
      {!enabled ? (
        <TwoFactorSetup onEnabled={setCodes} />
      ) : mode === 'regenerate' ? (
        <RegenerateForm
          onCodes={(next) => {
            setCodes(next);
            setMode('idle');
          }}
          onCancel={() => setMode('idle')}
        />
      ) : mode === 'disable' ? (
        <DisableForm onCancel={() => setMode('idle')} />
      ) : (
        <div className="form">
          <p>{t('twoFactor.onBody')}</p>
          <div className="button-row">
            <button type="button" className="btn" onClick={() => setMode('regenerate')}>
              {t('twoFactor.regenerate')}
            </button>
            <button type="button" className="btn btn-ghost-danger" onClick={() => setMode('disable')}>
              {t('twoFactor.disable')}
            </button>
          </div>
        </div>
      )}
    </Section>
  );
}
