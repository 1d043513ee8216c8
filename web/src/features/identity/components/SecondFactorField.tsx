import { useT } from '../../../app/i18n';
import { TextField } from '../../../components/Field';

export interface SecondFactor {
  mode: 'code' | 'recovery';
  value: string;
}

export const emptySecondFactor: SecondFactor = { mode: 'code', value: '' };

export function secondFactorBody(factor: SecondFactor): { code: string } | { recoveryCode: string } {
  return factor.mode === 'code' ? { code: factor.value.replace(/\s+/g, '') } : { recoveryCode: factor.value.trim() };
}

export function SecondFactorField({ value, onChange }: { value: SecondFactor; onChange: (next: SecondFactor) => void }) {
  const t = useT();
  return (
    <div className="field-group">
      {value.mode === 'code' ? (
        <TextField
          key="code"
          label={t('signin.code')}
          value={value.value}
          onValue={(next) => onChange({ mode: 'code', value: next })}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          className="input-code"
          required
        />
      ) : (
        <TextField
          key="recovery"
          label={t('signin.recoveryCode')}
          value={value.value}
          onValue={(next) => onChange({ mode: 'recovery', value: next })}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
      )}
      <button
        type="button"
        className="link-button small"
        onClick={() => onChange({ mode: value.mode === 'code' ? 'recovery' : 'code', value: '' })}
      >
        {value.mode === 'code' ? t('signin.useRecovery') : t('signin.useCode')}
      </button>
    </div>
  );
}
