import { DAY, HOUR, MINUTE } from '../../kernel/clock';
import { hashToken, newId } from '../../kernel/crypto';
import { assertThat, badRequest, conflict, forbidden, tooManyRequests, unauthenticated } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { AccountRow, Locale } from './identity.db';
import { newAccountRow } from './accounts.repository';
import { appLink, asLocale, audit, emitEvent, normalizeEmail, type IdentityDeps } from './identity.deps';
import { mailTemplates } from './identity.mail';
import { identityRepositories } from './identity.repositories';
import { applyEmailChange, requireOwnAddressAllowed } from './email-change.service';
import { passwordVerdict, requirePasswordAllowed } from './password-guard';
import { issueEmailToken } from './email-tokens.service';
import { createOrganizationFor } from './orgs.service';
import { assertPasswordStrong, hashPassword, type PasswordContext, verifyPassword } from '../../kernel/passwords';
import { issueSession, type IssuedSession } from './sessions.service';
import { verifySecondFactor } from './two-factor.service';

const VERIFY_EMAIL_TTL_MS = 3 * DAY;
const RESET_TTL_MS = HOUR;
const CHALLENGE_TTL_MS = 5 * MINUTE;
const CHALLENGE_MAX_ATTEMPTS = 5;
/** Failures allowed before back-off; then 1, 2, 4 … minutes, capped at an hour. */
const FREE_FAILURES = 5;
const MAX_LOCK_MS = HOUR;

const invalidCredentials = () => unauthenticated('The email or password is not correct.', 'auth.invalid_credentials');

export type SignInResult =
  | { status: 'signed_in'; accountId: string; session: IssuedSession }
  | { status: 'two_factor_required'; challengeId: string };

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
  orgName: string;
  locale: Locale;
}

/** W6.1: a new account and a new organization it administers (and is contract admin of). */
export async function signUp(deps: IdentityDeps, input: SignUpInput, meta: RequestMeta) {
  const { kernel } = deps;
  await kernel.rateLimiter.consume(`signup:ip:${meta.ip}`, { limit: 10, windowSeconds: 3600 });
  const email = normalizeEmail(input.email);
  await assertPasswordAcceptable(input.password, email, { name: input.name, orgName: input.orgName });
  // W8.3: an address an org enforces SSO for gets no password account, whether or not one exists.
  await requirePasswordAllowed(kernel, { path: 'sign_up', accountId: null, email, name: input.name }, meta);
  const repos = identityRepositories(deps.db);
  assertThat(!(await repos.accounts.findByEmail(email)), () =>
    conflict('account.email_taken', 'An account with this email already exists. Sign in instead, or reset your password.'),
  );
  const passwordHash = await hashPassword(input.password);
  const now = kernel.clock.now().toISOString();
  const account = newAccountRow({ email, name: input.name, locale: input.locale, passwordHash, emailVerifiedAt: null, now });
  const org = await deps.db.transaction().execute(async (trx) => {
    await identityRepositories(trx).accounts.insert(account);
    return createOrganizationFor(trx, account.id, { name: input.orgName, locale: input.locale }, now);
  });
  const session = await issueSession(deps, account.id, meta);
  await sendVerificationEmail(deps, account);
  await audit(deps, meta, { action: 'account.signed_up', outcome: 'success', actor: account, orgId: org.id, target: { type: 'account', id: account.id } });
  await audit(deps, meta, { action: 'org.created', outcome: 'success', actor: account, orgId: org.id, target: { type: 'org', id: org.id } });
  emitEvent(deps, 'identity.org.created', org.id, { orgId: org.id, accountId: account.id, locale: input.locale });
  return { account, org, session };
}

/** Every identity path that sets a password (sign-up, change, reset, invitation) asks this one rule. */
export async function assertPasswordAcceptable(password: string, email: string | null, context: Omit<PasswordContext, 'email'> = {}): Promise<void> {
  assertThat(password.length >= 10, () => badRequest('password.too_short', 'Use at least 10 characters for the password.'));
  assertThat(password.length <= 256, () => badRequest('password.too_long', 'Use at most 256 characters for the password.'));
  assertThat(!email || password.toLowerCase() !== email, () => badRequest('password.same_as_email', 'The password must differ from the email address.'));
  await assertPasswordStrong(password, { ...context, email });
}

export async function signIn(deps: IdentityDeps, input: { email: string; password: string }, meta: RequestMeta): Promise<SignInResult> {
  const { kernel } = deps;
  await kernel.rateLimiter.consume(`signin:ip:${meta.ip}`, { limit: 60, windowSeconds: 300 });
  const email = normalizeEmail(input.email);
  const repos = identityRepositories(deps.db);
  const now = kernel.clock.now();
  // The throttle is keyed by the email typed, whether or not an account has it: no enumeration.
  const throttle = await repos.throttle.find(email);
  if (throttle?.locked_until && throttle.locked_until > now.toISOString()) {
    const retryAfter = Math.ceil((new Date(throttle.locked_until).getTime() - now.getTime()) / 1000);
    await audit(deps, meta, { action: 'auth.sign_in', outcome: 'denied', actorEmail: email, details: { reason: 'locked' } });
    throw tooManyRequests('auth.locked', 'Too many failed sign-ins. Wait a moment and try again.', retryAfter);
  }
  const account = await repos.accounts.findByEmail(email);
  // Issue 13 §4: an unknown address, a managed account (W8.3: no password here) and a wrong password
  // get the same answer after the same argon2 work (a decoy hash when there is none), so nobody learns
  // which addresses exist or are managed. The sign-in page points to SSO through domain discovery.
  const storedHash = account && !account.managed_org_id ? account.password_hash : null;
  const ok = await verifyPassword(storedHash, input.password);
  if (!account || !ok) {
    const failures = (throttle?.failures ?? 0) + 1;
    const lockMs = failures >= FREE_FAILURES ? Math.min(MINUTE * 2 ** (failures - FREE_FAILURES), MAX_LOCK_MS) : 0;
    await repos.throttle.upsert({
      email,
      failures,
      locked_until: lockMs ? new Date(now.getTime() + lockMs).toISOString() : null,
      updated_at: now.toISOString(),
    });
    const reason = account?.managed_org_id ? 'managed_account' : 'invalid_credentials';
    await audit(deps, meta, { action: 'auth.sign_in', outcome: 'failure', actor: account ?? null, actorEmail: email, details: { reason, failures } });
    throw invalidCredentials();
  }
  if (throttle) await repos.throttle.clear(email);
  // Pass SSO enforcement (W8.3), only now that the password is known to be right: refuses, or lets a
  // break-glass admin on to the second factor (recorded as an attempt; alerted on success).
  await requirePasswordAllowed(kernel, { path: 'sign_in', accountId: account.id, email, name: account.name }, meta);
  if (account.totp_enabled_at) {
    const challengeId = newId();
    await repos.challenges.insert({
      id: challengeId,
      account_id: account.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString(),
      attempts: 0,
    });
    return { status: 'two_factor_required', challengeId };
  }
  const session = await issueSession(deps, account.id, meta);
  await audit(deps, meta, { action: 'auth.sign_in', outcome: 'success', actor: account, details: { sessionId: session.sessionId } });
  return { status: 'signed_in', accountId: account.id, session };
}

export async function completeTwoFactorSignIn(
  deps: IdentityDeps,
  input: { challengeId: string; code?: string | undefined; recoveryCode?: string | undefined },
  meta: RequestMeta,
): Promise<SignInResult> {
  const repos = identityRepositories(deps.db);
  const now = deps.kernel.clock.now().toISOString();
  const challenge = await repos.challenges.findActive(input.challengeId, now);
  assertThat(challenge && challenge.attempts < CHALLENGE_MAX_ATTEMPTS, () =>
    unauthenticated('The sign-in attempt expired. Sign in again.', 'auth.challenge_expired'),
  );
  const account = await repos.accounts.findById(challenge.account_id);
  assertThat(account, () => unauthenticated('The sign-in attempt expired. Sign in again.', 'auth.challenge_expired'));
  await repos.challenges.countAttempt(challenge.id);
  const ok = await verifySecondFactor(deps, account, input);
  if (!ok) {
    await audit(deps, meta, { action: 'auth.sign_in.two_factor', outcome: 'failure', actor: account });
    throw unauthenticated('The code is not valid.', 'auth.invalid_code');
  }
  await repos.challenges.delete(challenge.id);
  // Asked again: enforcement may have started since the password step; a break-glass sign-in is alerted here, on success only.
  if (account.email) await requirePasswordAllowed(deps.kernel, { path: 'second_factor', accountId: account.id, email: account.email, name: account.name }, meta);
  const session = await issueSession(deps, account.id, meta);
  await audit(deps, meta, {
    action: 'auth.sign_in',
    outcome: 'success',
    actor: account,
    details: { sessionId: session.sessionId, secondFactor: input.recoveryCode ? 'recovery_code' : 'totp' },
  });
  return { status: 'signed_in', accountId: account.id, session };
}

export async function sendVerificationEmail(deps: IdentityDeps, account: AccountRow): Promise<void> {
  assertThat(account.email, () => badRequest('account.no_email', 'The account has no email address.'));
  const token = await issueEmailToken(deps, account.id, 'verify_email', account.email, VERIFY_EMAIL_TTL_MS);
  const link = appLink(deps, `/verify-email?token=${encodeURIComponent(token)}`);
  const mail = mailTemplates.verifyEmail(asLocale(account.locale), { name: account.name ?? '', link });
  await deps.kernel.mailer.send({ to: account.email, ...mail });
}

export async function resendVerification(deps: IdentityDeps, account: AccountRow): Promise<void> {
  assertThat(!account.email_verified_at, () => conflict('account.email_already_verified', 'The email address is already verified.'));
  await deps.kernel.rateLimiter.consume(`verify:account:${account.id}`, { limit: 5, windowSeconds: 3600 });
  await sendVerificationEmail(deps, account);
}

export async function confirmEmail(deps: IdentityDeps, token: string, meta: RequestMeta): Promise<void> {
  const repos = identityRepositories(deps.db);
  const now = deps.kernel.clock.now().toISOString();
  const row = await repos.emailTokens.findUsable(hashToken(token), ['verify_email', 'change_email'], now);
  const account = row ? await repos.accounts.findById(row.account_id) : undefined;
  const invalid = () => badRequest('email_verification.invalid_token', 'This verification link is invalid or has expired.');
  if (row?.purpose === 'change_email' && account) {
    // Asked again before the link is spent: the org may have started enforcing SSO since it was sent.
    await requireOwnAddressAllowed(deps, account, row.email, meta);
    assertThat(await repos.emailTokens.markUsed(row.id, now), invalid);
    return applyEmailChange(deps, account, row.email, meta);
  }
  // A token for an address the account no longer has is as dead as an expired one.
  const valid = row && account && account.email === row.email && (await repos.emailTokens.markUsed(row.id, now));
  assertThat(valid && account, invalid);
  await repos.accounts.update(account.id, { email_verified_at: now });
  await audit(deps, meta, { action: 'account.email_verified', outcome: 'success', actor: account, target: { type: 'account', id: account.id } });
}

/** Always answers the same way, whether or not the email has an account (no enumeration). */
export async function requestPasswordReset(deps: IdentityDeps, emailInput: string, meta: RequestMeta): Promise<void> {
  const email = normalizeEmail(emailInput);
  await deps.kernel.rateLimiter.consume(`reset:ip:${meta.ip}`, { limit: 20, windowSeconds: 3600 });
  await deps.kernel.rateLimiter.consume(`reset:email:${email}`, { limit: 5, windowSeconds: 3600 });
  const repos = identityRepositories(deps.db);
  const account = await repos.accounts.findByEmail(email);
  await audit(deps, meta, { action: 'auth.password_reset.requested', outcome: account ? 'success' : 'failure', actor: account ?? null, actorEmail: email });
  // Managed accounts (W8.3) get no link; the answer stays the same. An account converted back from
  // managed has no password yet and sets one this way.
  if (!account || account.managed_org_id) return;
  // W8.3: under SSO enforcement the owner learns by mail to sign in with SSO; the answer stays the same.
  const verdict = await passwordVerdict(deps.kernel, { path: 'password_reset', accountId: account.id, email, name: account.name }, meta);
  if (!verdict.allowed) {
    await deps.kernel.mailer.send({ to: email, ...mailTemplates.ssoRequired(asLocale(account.locale), { name: account.name ?? '' }) });
    return;
  }
  const token = await issueEmailToken(deps, account.id, 'reset_password', email, RESET_TTL_MS);
  const link = appLink(deps, `/reset-password?token=${encodeURIComponent(token)}`);
  await deps.kernel.mailer.send({ to: email, ...mailTemplates.passwordReset(asLocale(account.locale), { name: account.name ?? '', link }) });
}

export async function confirmPasswordReset(deps: IdentityDeps, input: { token: string; password: string }, meta: RequestMeta): Promise<void> {
  const repos = identityRepositories(deps.db);
  const now = deps.kernel.clock.now().toISOString();
  const row = await repos.emailTokens.findUsable(hashToken(input.token), ['reset_password'], now);
  const account = row ? await repos.accounts.findById(row.account_id) : undefined;
  assertThat(row && account && account.email === row.email, () =>
    badRequest('password_reset.invalid_token', 'This reset link is invalid or has expired. Ask for a new one.'),
  );
  assertThat(!account.managed_org_id, () =>
    forbidden('This account is managed by your organization and has no password. Sign in with single sign-on.', 'password_reset.managed_account'),
  );
  await assertPasswordAcceptable(input.password, account.email, { name: account.name });
  // A link asked for before the org enforced SSO does not set a password after.
  await requirePasswordAllowed(deps.kernel, { path: 'password_reset', accountId: account.id, email: row.email, name: account.name }, meta);
  const passwordHash = await hashPassword(input.password);
  assertThat(await repos.emailTokens.markUsed(row.id, now), () =>
    badRequest('password_reset.invalid_token', 'This reset link is invalid or has expired. Ask for a new one.'),
  );
  // Receiving the mail proves control of the address, so the reset also verifies it.
  await repos.accounts.update(account.id, { password_hash: passwordHash, password_changed_at: now, email_verified_at: account.email_verified_at ?? now });
  await repos.sessions.deleteAllOfAccount(account.id);
  await repos.throttle.clear(row.email);
  await audit(deps, meta, { action: 'auth.password_reset.completed', outcome: 'success', actor: account, target: { type: 'account', id: account.id } });
  await deps.kernel.mailer.send({ to: row.email, ...mailTemplates.passwordChanged(asLocale(account.locale), { name: account.name ?? '' }) });
}
