import { DAY, HOUR } from '../../kernel/clock';
import { hashToken, newId, randomToken } from '../../kernel/crypto';
import { assertThat, badRequest, conflict } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { AccountRow, Locale } from './identity.db';
import { appLink, asLocale, emitEvent, type IdentityDeps } from './identity.deps';
import { mailTemplates } from './identity.mail';
import { identityRepositories } from './identity.repositories';
import { issueEmailToken } from './email-tokens.service';
import { auditManaged, managedNotFound, managedRepo, presentManagedAccount, type ManagedAccount, type ManagedAccountActor } from './managed-accounts.service';

/** The consent link stays valid a week: the user may be away; it is single use and dies on a new request. */
const CONSENT_TTL_MS = 7 * DAY;
const RESET_TTL_MS = HOUR;

const invalidLink = () => badRequest('managed_conversion.invalid_token', 'This link is invalid or has expired. Ask your organization admin for a new one.');
const memberNotFound = () => badRequest('managed_conversion.not_convertible', 'This account cannot be converted.');

const consentMail = (locale: Locale, p: { name: string; orgName: string; link: string }) =>
  locale === 'ja'
    ? {
        subject: `【Toride】「${p.orgName}」による管理アカウントへの切り替えの確認`,
        text: `${p.name} さん\n\n組織「${p.orgName}」の管理者が、あなたの Toride アカウントを組織の管理アカウントに切り替えることを求めています。切り替えると、パスワードは削除され、組織のシングルサインオンでのみサインインでき、アカウントは組織の管理者が管理します。すべてのセッションが終了します。\n\n同意する場合は次のリンクを開いてください（7 日間有効、1 回限り）。\n\n${p.link}\n\n同意しない場合は、このメールを破棄してください。\n\n— Toride`,
      }
    : {
        subject: `Confirm: "${p.orgName}" wants to manage your Toride account`,
        text: `Hi ${p.name},\n\nAn admin of "${p.orgName}" asks to turn your Toride account into an account managed by the organization. Once converted, your password is removed, you sign in only through the organization's single sign-on, and the organization's admins manage the account. All your sessions end.\n\nIf you agree, open this link (valid for 7 days, single use):\n\n${p.link}\n\nIf you do not agree, ignore this message.\n\n— Toride`,
      };

/** A convertible account: an ordinary (not managed) member of this org and of no other (W8.3: one org). */
async function convertible(deps: IdentityDeps, orgId: string, accountId: string): Promise<AccountRow> {
  const repos = identityRepositories(deps.db);
  const [account, membership] = await Promise.all([repos.accounts.findById(accountId), repos.orgs.findMembership(orgId, accountId)]);
  assertThat(account && membership, memberNotFound);
  assertThat(!account.managed_org_id, () => conflict('managed_conversion.already_managed', 'This account is already managed.'));
  const orgs = await repos.orgs.listOrgsOfAccount(accountId);
  assertThat(orgs.length === 1, () =>
    conflict('managed_conversion.other_orgs', 'This account belongs to other organizations too. A managed account belongs to one organization only.'),
  );
  return account;
}

/**
 * Step 1 (admin): mails the user a single-use consent link. The caller (pass) has checked that the
 * address is on a domain the org verified.
 */
export async function requestConversion(deps: IdentityDeps, orgId: string, accountId: string, actor: ManagedAccountActor): Promise<void> {
  const account = await convertible(deps, orgId, accountId);
  assertThat(account.email, memberNotFound);
  const org = await identityRepositories(deps.db).orgs.findById(orgId);
  assertThat(org, memberNotFound);
  const now = deps.kernel.clock.now();
  const token = randomToken();
  await managedRepo(deps.db).insertConversionToken({
    id: newId(),
    account_id: account.id,
    purpose: 'managed_conversion',
    email: account.email,
    token_hash: hashToken(token),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + CONSENT_TTL_MS).toISOString(),
    used_at: null,
    org_id: orgId,
  });
  const link = appLink(deps, `/managed-consent?token=${encodeURIComponent(token)}`);
  await deps.kernel.mailer.send({ orgId, kind: 'managed_account.consent', to: account.email, ...consentMail(asLocale(account.locale), { name: account.name ?? '', orgName: org.name, link }) });
  await auditManaged(deps, actor, orgId, 'managed_account.conversion_requested', account.id);
}

async function usableToken(deps: IdentityDeps, token: string) {
  const repos = identityRepositories(deps.db);
  const now = deps.kernel.clock.now().toISOString();
  const row = await repos.emailTokens.findUsable(hashToken(token), ['managed_conversion'], now);
  assertThat(row?.org_id, invalidLink);
  const [account, org] = await Promise.all([repos.accounts.findById(row.account_id), repos.orgs.findById(row.org_id)]);
  assertThat(account && org && account.email === row.email, invalidLink);
  return { row, account, org, orgId: row.org_id, now };
}

/** What the consent page shows before the user agrees. */
export async function previewConversion(deps: IdentityDeps, token: string): Promise<{ orgName: string; email: string }> {
  const { org, row } = await usableToken(deps, token);
  return { orgName: org.name, email: row.email };
}

/** Step 2 (the user, by the link): the account becomes managed; password gone, every session ends. */
export async function confirmConversion(deps: IdentityDeps, token: string, meta: RequestMeta): Promise<ManagedAccount> {
  const { row, account, orgId, now } = await usableToken(deps, token);
  await convertible(deps, orgId, account.id);
  const repos = identityRepositories(deps.db);
  assertThat(await repos.emailTokens.markUsed(row.id, now), invalidLink);
  await deps.db.transaction().execute(async (trx) => {
    const tx = identityRepositories(trx);
    await tx.accounts.update(account.id, { managed_org_id: orgId, password_hash: null, password_changed_at: null, updated_at: now, email_verified_at: account.email_verified_at ?? now });
    await tx.orgs.updateMembership(orgId, account.id, { can_invite: 0 });
    await tx.sessions.deleteAllOfAccount(account.id);
    await tx.challenges.deleteRecoveryCodes(account.id);
  });
  await auditManaged(deps, { accountId: account.id, kind: 'account', ip: meta.ip, userAgent: meta.userAgent }, orgId, 'managed_account.converted', account.id);
  emitEvent(deps, 'identity.account.managed', orgId, { accountId: account.id });
  const managed = await managedRepo(deps.db).find(orgId, account.id);
  assertThat(managed, managedNotFound);
  return presentManagedAccount(orgId, managed);
}

/**
 * Back to an ordinary account (admin action): the account leaves the org's management and the user
 * gets a password-reset link to set a password.
 */
export async function revertConversion(deps: IdentityDeps, orgId: string, accountId: string, actor: ManagedAccountActor): Promise<void> {
  const current = await managedRepo(deps.db).find(orgId, accountId);
  assertThat(current?.email, managedNotFound);
  const now = deps.kernel.clock.now().toISOString();
  await identityRepositories(deps.db).accounts.update(accountId, { managed_org_id: null, external_id: null, suspended_at: null, updated_at: now });
  const account = await identityRepositories(deps.db).accounts.findById(accountId);
  const token = await issueEmailToken(deps, accountId, 'reset_password', current.email, RESET_TTL_MS);
  const link = appLink(deps, `/reset-password?token=${encodeURIComponent(token)}`);
  await deps.kernel.mailer.send({ to: current.email, ...mailTemplates.passwordReset(asLocale(account?.locale ?? 'en'), { name: current.name ?? '', link }) });
  await auditManaged(deps, actor, orgId, 'managed_account.unmanaged', accountId);
}
