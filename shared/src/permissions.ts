/**
 * The permission catalogue: `resource:action` strings shared by server policies and the web app.
 * Org roles follow W7.1: admin, member (optionally holding the invite permission), guest.
 */
export const ORG_ROLES = ['admin', 'member', 'guest'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const IDENTITY_ACTIONS = [
  'org:read',
  'org:update',
  'member:list',
  'member:update',
  'member:remove',
  'invitation:list',
  'invitation:create',
  'invitation:revoke',
  'team:list-all',
  'team:create',
  'team:manage',
  'audit:read',
] as const;
export type IdentityAction = (typeof IDENTITY_ACTIONS)[number];

export interface RoleGrant {
  role: OrgRole;
  canInvite: boolean;
  /** W7.6: reading the audit log is its own permission, held by admins by default, grantable to members. */
  canReadAudit?: boolean;
}

const MEMBER_ACTIONS: ReadonlySet<IdentityAction> = new Set<IdentityAction>([
  'org:read',
  'member:list',
  'team:list-all',
  'team:create',
  'team:manage',
]);
const INVITE_ACTIONS: ReadonlySet<IdentityAction> = new Set<IdentityAction>(['invitation:list', 'invitation:create', 'invitation:revoke']);

/** Guests see the org and the teams they belong to, nothing else (W7.1). */
export function roleAllows(grant: RoleGrant, action: IdentityAction): boolean {
  // Not implied by the admin role: an admin may have handed it back (at least one admin keeps it).
  if (action === 'audit:read') return grant.role !== 'guest' && grant.canReadAudit === true;
  if (grant.role === 'admin') return true;
  if (grant.role === 'guest') return action === 'org:read';
  return MEMBER_ACTIONS.has(action) || (grant.canInvite && INVITE_ACTIONS.has(action));
}

/** Which roles an inviter may hand out: only admins create admins. */
export function invitableRoles(grant: RoleGrant): OrgRole[] {
  if (grant.role === 'admin') return ['admin', 'member', 'guest'];
  if (grant.role === 'member' && grant.canInvite) return ['member', 'guest'];
  return [];
}
