import { DAY } from '../../kernel/clock';
import { isUniqueViolation } from '../../kernel/dialect';
import { assertThat, conflict } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { AccountRow } from './identity.db';
import { appLink, asLocale, audit, normalizeEmail, type IdentityDeps } from './identity.deps';
import { mailTemplates } from './identity.mail';
import { identityRepositories } from './identity.repositories';
import { issueEmailToken } from './email-tokens.service';
import { requirePasswordAllowed } from './password-guard';
import { reauthenticate } from './two-factor.service';

const CHANGE_EMAIL_TTL_MS = DAY;
const emailTaken = () => conflict('account.email_taken', 'Another account already uses this email address.');

/**
 * W2.4: users keep a reachable contact address. A change takes effect only when the new address
 * proves it receives mail; the old address is told, so a hijack does not go unnoticed.
 */
export async function requestEmailChange(
  deps: IdentityDeps,
  account: AccountRow,
  input: { email: string; password: string; code?: string | undefined; recoveryCode?: string | undefined },
  meta: RequestMeta,
): Promise<void> {
  await reauthenticate(deps, account, input);
  await deps.kernel.rateLimiter.consume(`email-change:${account.id}`, { limit: 5, windowSeconds: 3600 });
  const email = normalizeEmail(input.email);
  const repos = identityRepositories(deps.db);
  assertThat(email !== account.email, () => conflict('account.email_unchanged', 'This is already your email address.'));
  assertThat(!(await repos.accounts.findByEmail(email)), emailTaken);
  await requireOwnAddressAllowed(deps, account, email, meta);
  const token = await issueEmailToken(deps, account.id, 'change_email', email, CHANGE_EMAIL_TTL_MS);
  const link = appLink(deps, `/verify-email?token=${encodeURIComponent(token)}`);
  await deps.kernel.mailer.send({ to: email, ...mailTemplates.confirmNewEmail(asLocale(account.locale), { name: account.name ?? '', link }) });
  await audit(deps, meta, { action: 'account.email_change.requested', outcome: 'success', actor: account, target: { type: 'account', id: account.id }, subjectEmail: email });
}

/**
 * W8.3 (issue 13 §1): an account with a password may not move onto an address an org enforces SSO for
 * (unless it is that org's break-glass admin); managed accounts have no password and are not asked.
 */
export async function requireOwnAddressAllowed(deps: IdentityDeps, account: AccountRow, email: string, meta: RequestMeta) {
  if (account.managed_org_id) return;
  await requirePasswordAllowed(deps.kernel, { path: 'email_change', accountId: account.id, email, name: account.name }, meta);
}

export async function applyEmailChange(deps: IdentityDeps, account: AccountRow, email: string, meta: RequestMeta): Promise<void> {
  const repos = identityRepositories(deps.db);
  const now = deps.kernel.clock.now().toISOString();
  try {
    await repos.accounts.update(account.id, { email, email_verified_at: now });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  await audit(deps, meta, { action: 'account.email_changed', outcome: 'success', actor: account, target: { type: 'account', id: account.id }, subjectEmail: email });
  if (account.email) {
    await deps.kernel.mailer.send({ to: account.email, ...mailTemplates.emailChanged(asLocale(account.locale), { name: account.name ?? '', newEmail: email }) });
  }
}
