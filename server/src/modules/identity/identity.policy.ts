import { roleAllows, type IdentityAction, type RoleGrant } from '../../../../shared/src/permissions';
import { forbidden } from '../../kernel/errors';
import type { AccountRow, MembershipRow, OrganizationRow } from './identity.db';

/** The caller's standing in one org, resolved once per request. */
export interface OrgAccess {
  readonly org: OrganizationRow;
  readonly account: AccountRow;
  readonly membership: MembershipRow;
}

export const grantOf = (membership: Pick<MembershipRow, 'role' | 'can_invite' | 'can_read_audit'>): RoleGrant => ({
  role: membership.role,
  canInvite: membership.role === 'member' && membership.can_invite === 1,
  canReadAudit: membership.role !== 'guest' && membership.can_read_audit === 1,
});

export const can = (access: OrgAccess, action: IdentityAction): boolean => roleAllows(grantOf(access.membership), action);

export function requireAbility(access: OrgAccess, action: IdentityAction): void {
  if (!can(access, action)) throw forbidden();
}

/** Sent with the org so the web app shows only what the caller may do; the server still checks. */
export const abilitiesOf = (access: OrgAccess) => ({
  manageOrg: can(access, 'org:update'),
  viewMembers: can(access, 'member:list'),
  manageMembers: can(access, 'member:update'),
  invite: can(access, 'invitation:create'),
  manageTeams: can(access, 'team:create'),
  readAudit: can(access, 'audit:read'),
});
