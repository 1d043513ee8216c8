import { useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { TextField } from '../../../components/Field';
import { SecondFactorField, secondFactorBody, type SecondFactor } from '../../identity/components/SecondFactorField';
import type { ReauthBody } from '../api';

export interface Reauth {
  password: string;
  factor: SecondFactor;
}

export function useReauthBody(): (value: Reauth) => ReauthBody {
  const me = useSignedInMe();
  return (value) => ({ password: value.password, ...(me.account.twoFactorEnabled ? secondFactorBody(value.factor) : {}) }) as ReauthBody;
}

/** Password, and the 2FA code when the account has 2FA: like account deletion. */
export function ReauthFields({ value, onChange }: { value: Reauth; onChange: (next: Reauth) => void }) {
  const t = useT();
  const me = useSignedInMe();
  return (
    <>
      <TextField
        label={t('field.password')}
        type="password"
        value={value.password}
        onValue={(password) => onChange({ ...value, password })}
        autoComplete="current-password"
        required
      />
      {me.account.twoFactorEnabled ? <SecondFactorField value={value.factor} onChange={(factor) => onChange({ ...value, factor })} /> : null}
    </>
  );
}
