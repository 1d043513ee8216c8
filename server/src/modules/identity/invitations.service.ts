import { invitableRoles } from '../../../../shared/src/permissions';
import { DAY } from '../../kernel/clock';
import { hashToken, newId, randomToken } from '../../kernel/crypto';
import { assertThat, badRequest, conflict, forbidden, notFound } from '../../kernel/errors';
import type { AccountPrincipal, RequestMeta } from '../../kernel/http/request-context';
import type { AccountRow, InvitationRow, Locale, Role } from './identity.db';
import { appLink, asLocale, audit, emitEvent, normalizeEmail, type IdentityDeps } from './identity.deps';
import { mailTemplates } from './identity.mail';
import { grantOf, requireAbility, type OrgAccess } from './identity.policy';
import { identityRepositories } from './identity.repositories';
import { newAccountRow } from './accounts.repository';
import { assertPasswordAcceptable } from './auth.service';
import { hashPassword } from '../../kernel/passwords';
import { requirePasswordAllowed } from './password-guard';
import { issueSession } from './sessions.service';

const INVITATION_TTL_MS = 7 * DAY;

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export function invitationStatus(row: InvitationRow, now: string): InvitationStatus {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  return row.expires_at <= now ? 'expired' : 'pending';
}

const invalidInvitation = () => notFound('invitation.not_found', 'This invitation link is invalid, expired or was revoked.');

/** W6.4: admins, and members holding the invite permission, invite by email. */
export async function createInvitation(deps: IdentityDeps, access: OrgAccess, input: { email: string; role: Role }, meta: RequestMeta) {
  requireAbility(access, 'invitation:create');
  assertThat(invitableRoles(grantOf(access.membership)).includes(input.role), () =>
    forbidden('Only admins can invite someone as admin.', 'invitation.role_not_allowed'),
  );
  assertThat(access.account.email_verified_at, () =>
    forbidden('Verify your own email address before inviting others.', 'invitation.inviter_unverified'),
  );
  await deps.kernel.rateLimiter.consume(`invite:org:${access.org.id}`, { limit: 200, windowSeconds: 86_400 });
  const email = normalizeEmail(input.email);
  const repos = identityRepositories(deps.db);
  const existing = await repos.accounts.findByEmail(email);
  if (existing) {
    assertThat(!(await repos.orgs.findMembership(access.org.id, existing.id)), () =>
      conflict('invitation.already_member', 'This person is already a member of the organization.'),
    );
  }
  const now = deps.kernel.clock.now();
  const token = randomToken();
  const row: InvitationRow = {
    id: newId(),
    org_id: access.org.id,
    email,
    role: input.role,
    token_hash: hashToken(token),
    invited_by: access.account.id,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    accepted_at: null,
    accepted_by: null,
    revoked_at: null,
  };
  // A new invitation replaces any open one for the same address: one live link per person.
  await repos.invitations.revokeOpenForEmail(access.org.id, email, now.toISOString());
  await repos.invitations.insert(row);
  const locale = asLocale(existing?.locale ?? access.org.locale);
  const mail = mailTemplates.invitation(locale, {
    inviterName: access.account.name ?? '',
    orgName: access.org.name,
    role: input.role,
    link: appLink(deps, `/invite/${encodeURIComponent(token)}`),
    expiresAt: row.expires_at.slice(0, 16).replace('T', ' '),
  });
  await deps.kernel.mailer.send({ to: email, ...mail, orgId: access.org.id, kind: 'invitation' });
  await audit(deps, meta, { action: 'invitation.created', outcome: 'success', actor: access.account, orgId: access.org.id, target: { type: 'invitation', id: row.id }, subjectEmail: email, details: { role: input.role } });
  return row;
}

export async function listInvitations(deps: IdentityDeps, access: OrgAccess) {
  requireAbility(access, 'invitation:list');
  return identityRepositories(deps.db).invitations.listInOrg(access.org.id);
}

export async function revokeInvitation(deps: IdentityDeps, access: OrgAccess, invitationId: string, meta: RequestMeta) {
  requireAbility(access, 'invitation:revoke');
  const repos = identityRepositories(deps.db);
  const row = await repos.invitations.findInOrg(access.org.id, invitationId);
  assertThat(row, () => notFound('invitation.not_found', 'Invitation not found.'));
  assertThat(invitableRoles(grantOf(access.membership)).includes(row.role), () =>
    forbidden('Only admins can revoke an invitation for an admin.', 'invitation.role_not_allowed'),
  );
  const now = deps.kernel.clock.now().toISOString();
  assertThat(invitationStatus(row, now) === 'pending', () => conflict('invitation.not_pending', 'Only pending invitations can be revoked.'));
  await repos.invitations.revoke(access.org.id, invitationId, now);
  await audit(deps, meta, { action: 'invitation.revoked', outcome: 'success', actor: access.account, orgId: access.org.id, target: { type: 'invitation', id: invitationId } });
}

async function findOpenInvitation(deps: IdentityDeps, token: string) {
  const row = await identityRepositories(deps.db).invitations.findByTokenHash(hashToken(token));
  assertThat(row && invitationStatus(row, deps.kernel.clock.now().toISOString()) === 'pending', invalidInvitation);
  return row;
}

/** What the accept page shows before anyone signs in. */
export async function previewInvitation(deps: IdentityDeps, token: string) {
  const row = await findOpenInvitation(deps, token);
  const repos = identityRepositories(deps.db);
  const [inviter] = await repos.accounts.findSummaries(row.invited_by ? [row.invited_by] : []);
  const existing = await repos.accounts.findByEmail(row.email);
  return {
    orgName: row.org_name,
    email: row.email,
    role: row.role,
    inviterName: inviter?.name ?? null,
    expiresAt: row.expires_at,
    accountExists: Boolean(existing),
  };
}

/**
 * W6.2: accepting adds an existing account (signed in as the invited address) or creates one.
 * The invitation link travels by email, so holding it proves control of the address.
 */
export async function acceptInvitation(
  deps: IdentityDeps,
  token: string,
  principal: AccountPrincipal | null,
  input: { name?: string | undefined; password?: string | undefined; locale?: Locale | undefined },
  meta: RequestMeta,
) {
  await deps.kernel.rateLimiter.consume(`invite-accept:ip:${meta.ip}`, { limit: 30, windowSeconds: 3600 });
  const row = await findOpenInvitation(deps, token);
  const repos = identityRepositories(deps.db);
  const now = deps.kernel.clock.now().toISOString();
  let account: AccountRow | undefined;
  let created = false;
  if (principal) {
    account = await repos.accounts.findById(principal.accountId);
    assertThat(account?.email === row.email, () =>
      forbidden(`This invitation is for ${row.email}. Sign out and accept it with that address.`, 'invitation.wrong_account'),
    );
    // W8.3: a managed account belongs to its one org only.
    assertThat(!account?.managed_org_id || account.managed_org_id === row.org_id, () =>
      forbidden('This account is managed by its organization and cannot join another one.', 'invitation.managed_account'),
    );
  } else {
    assertThat(!(await repos.accounts.findByEmail(row.email)), () =>
      conflict('invitation.sign_in_required', 'An account with this email exists. Sign in to accept the invitation.'),
    );
    const name = input.name?.trim();
    const password = input.password;
    assertThat(name && password, () => badRequest('invitation.account_details_required', 'Enter your name and a password to create your account.'));
    await assertPasswordAcceptable(password, row.email, { name, orgName: row.org_name });
    // W8.3: an address under SSO enforcement gets no password account; sign in with SSO, then accept.
    await requirePasswordAllowed(deps.kernel, { path: 'invitation', accountId: null, email: row.email, name }, meta);
    account = newAccountRow({ email: row.email, name, locale: input.locale ?? 'en', passwordHash: await hashPassword(password), emailVerifiedAt: now, now });
    created = true;
  }
  const joined = account;
  await deps.db.transaction().execute(async (trx) => {
    const tx = identityRepositories(trx);
    assertThat(await tx.invitations.markAccepted(row.id, joined.id, now), invalidInvitation);
    assertThat(!(await tx.orgs.findMembership(row.org_id, joined.id)), () =>
      conflict('invitation.already_member', 'You are already a member of this organization.'),
    );
    if (created) await tx.accounts.insert(joined);
    else if (!joined.email_verified_at) await tx.accounts.update(joined.id, { email_verified_at: now });
    await tx.orgs.insertMembership({ org_id: row.org_id, account_id: joined.id, role: row.role, can_invite: 0, can_read_audit: row.role === 'admin' ? 1 : 0, created_at: now });
  });
  const session = principal ? null : await issueSession(deps, joined.id, meta);
  if (created) await audit(deps, meta, { action: 'account.created_by_invitation', outcome: 'success', actor: joined, orgId: row.org_id, target: { type: 'account', id: joined.id } });
  await audit(deps, meta, { action: 'invitation.accepted', outcome: 'success', actor: joined, orgId: row.org_id, target: { type: 'invitation', id: row.id }, details: { role: row.role } });
  emitEvent(deps, 'identity.member.added', row.org_id, { accountId: joined.id, role: row.role });
  return { orgId: row.org_id, accountId: joined.id, session };
}
