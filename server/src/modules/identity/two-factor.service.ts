import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { hashToken, newId } from '../../kernel/crypto';
import { assertThat, badRequest, conflict, unauthenticated } from '../../kernel/errors';
import { newTotpSecret, totpUri, verifyTotp } from '../../kernel/totp';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { AccountRow } from './identity.db';
import { audit, type IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';
import { verifyPassword } from '../../kernel/passwords';

/** TOTP + recovery codes (W2.4). */
const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Recovery codes read like `k7mq-2x9p-hz`: 10 symbols of 31 (≈49 bits), easy to type from paper. */
function newRecoveryCode(): string {
  const symbols = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

const normalizeRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/[^a-z0-9]/g, '');

export async function startTotpSetup(deps: IdentityDeps, account: AccountRow) {
  assertThat(!account.totp_enabled_at, () => conflict('two_factor.already_enabled', 'Two-factor authentication is already on.'));
  const secret = newTotpSecret();
  await identityRepositories(deps.db).accounts.update(account.id, { totp_pending_secret: deps.kernel.secrets.seal(secret) });
  const otpauthUri = totpUri(secret, account.email ?? account.id);
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { secret, otpauthUri, qrSvg };
}

/** Checks a TOTP code and remembers its step, so the same code cannot be used twice. */
async function acceptTotp(deps: IdentityDeps, account: AccountRow, sealedSecret: string, code: string): Promise<boolean> {
  const counter = verifyTotp(deps.kernel.secrets.open(sealedSecret), code, deps.kernel.clock.now(), account.totp_last_counter);
  if (counter === null) return false;
  await identityRepositories(deps.db).accounts.update(account.id, { totp_last_counter: counter });
  return true;
}

export async function enableTotp(deps: IdentityDeps, account: AccountRow, code: string, meta: RequestMeta) {
  assertThat(!account.totp_enabled_at, () => conflict('two_factor.already_enabled', 'Two-factor authentication is already on.'));
  assertThat(account.totp_pending_secret, () => badRequest('two_factor.not_started', 'Start the set-up first.'));
  const ok = await acceptTotp(deps, account, account.totp_pending_secret, code);
  assertThat(ok, () => badRequest('two_factor.invalid_code', 'The code is not valid. Check the time on your device and try again.'));
  await identityRepositories(deps.db).accounts.update(account.id, {
    totp_secret: account.totp_pending_secret,
    totp_pending_secret: null,
    totp_enabled_at: deps.kernel.clock.now().toISOString(),
  });
  const recoveryCodes = await replaceRecoveryCodes(deps, account.id);
  await audit(deps, meta, { action: 'account.two_factor.enabled', outcome: 'success', actor: account, target: { type: 'account', id: account.id } });
  return { recoveryCodes };
}

async function replaceRecoveryCodes(deps: IdentityDeps, accountId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await identityRepositories(deps.db).challenges.replaceRecoveryCodes(
    accountId,
    codes.map((code) => ({ id: newId(), code_hash: hashToken(normalizeRecoveryCode(code)) })),
  );
  return codes;
}

/** A second factor for sign-in or re-authentication: a TOTP code or an unused recovery code. */
export async function verifySecondFactor(
  deps: IdentityDeps,
  account: AccountRow,
  input: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<boolean> {
  if (!account.totp_secret) return false;
  if (input.code) return acceptTotp(deps, account, account.totp_secret, input.code);
  if (input.recoveryCode) {
    const hash = hashToken(normalizeRecoveryCode(input.recoveryCode));
    return identityRepositories(deps.db).challenges.useRecoveryCode(account.id, hash, deps.kernel.clock.now().toISOString());
  }
  return false;
}

/** Sensitive account actions ask again for the password, and for a second factor when one is on. */
export async function reauthenticate(
  deps: IdentityDeps,
  account: AccountRow,
  input: { password: string; code?: string | undefined; recoveryCode?: string | undefined },
): Promise<void> {
  const passwordOk = await verifyPassword(account.password_hash, input.password);
  assertThat(passwordOk, () => unauthenticated('The password is not correct.', 'auth.reauthentication_failed'));
  if (account.totp_enabled_at) {
    assertThat(input.code || input.recoveryCode, () => badRequest('two_factor.code_required', 'Enter a code from your authenticator app.'));
    const ok = await verifySecondFactor(deps, account, input);
    assertThat(ok, () => unauthenticated('The two-factor code is not valid.', 'auth.reauthentication_failed'));
  }
}

type SecondFactorInput = { password: string; code?: string | undefined; recoveryCode?: string | undefined };

export async function disableTotp(deps: IdentityDeps, account: AccountRow, input: SecondFactorInput, meta: RequestMeta) {
  assertThat(account.totp_enabled_at, () => conflict('two_factor.not_enabled', 'Two-factor authentication is off.'));
  await reauthenticate(deps, account, input);
  const repos = identityRepositories(deps.db);
  await repos.accounts.update(account.id, { totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_counter: null });
  await repos.challenges.deleteRecoveryCodes(account.id);
  await audit(deps, meta, { action: 'account.two_factor.disabled', outcome: 'success', actor: account, target: { type: 'account', id: account.id } });
}

export async function regenerateRecoveryCodes(
  deps: IdentityDeps,
  account: AccountRow,
  input: SecondFactorInput,
  meta: RequestMeta,
) {
  assertThat(account.totp_enabled_at, () => conflict('two_factor.not_enabled', 'Two-factor authentication is off.'));
  await reauthenticate(deps, account, input);
  const recoveryCodes = await replaceRecoveryCodes(deps, account.id);
  await audit(deps, meta, { action: 'account.two_factor.recovery_codes_regenerated', outcome: 'success', actor: account, target: { type: 'account', id: account.id } });
  return { recoveryCodes };
}
