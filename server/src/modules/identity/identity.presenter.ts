import type { z } from 'zod';
import type { AccountRow, ApiKeyRow, InvitationRow, MembershipRow, OrganizationRow, Role, SessionRow } from './identity.db';
import { asLocale } from './identity.deps';
import { abilitiesOf, type OrgAccess } from './identity.policy';
import type { accountSchema, apiKeySchema, invitationSchema, memberSchema, orgSchema, orgSummarySchema, sessionSchema, teamSchema } from './identity.schemas';
import { invitationStatus } from './invitations.service';
import type { TeamWithMembers } from './teams.service';

/** Row → API shape. Hashes, secrets and internal columns never leave through here. */
export const DELETED_USER = 'deleted user';

export const presentAccount = (row: AccountRow): z.infer<typeof accountSchema> => ({
  id: row.id,
  email: row.email ?? '',
  name: row.name ?? '',
  locale: asLocale(row.locale),
  emailVerified: row.email_verified_at !== null,
  twoFactorEnabled: row.totp_enabled_at !== null,
  createdAt: row.created_at,
});

export const presentOrgSummary = (row: Pick<OrganizationRow, 'id' | 'name' | 'locale' | 'require_two_factor'> & Pick<MembershipRow, 'role' | 'can_invite'>): z.infer<typeof orgSummarySchema> => ({
  id: row.id,
  name: row.name,
  locale: asLocale(row.locale),
  role: row.role,
  canInvite: row.role === 'member' && row.can_invite === 1,
  requireTwoFactor: row.require_two_factor === 1,
});

export const presentOrg = (access: OrgAccess): z.infer<typeof orgSchema> => ({
  id: access.org.id,
  name: access.org.name,
  locale: asLocale(access.org.locale),
  createdAt: access.org.created_at,
  requireTwoFactor: access.org.require_two_factor === 1,
  myRole: access.membership.role,
  abilities: abilitiesOf(access),
});

export const presentMember = (row: {
  account_id: string;
  role: Role;
  can_invite: number;
  can_read_audit: number;
  created_at: string;
  name: string | null;
  email: string | null;
  totp_enabled_at: string | null;
}): z.infer<typeof memberSchema> => ({
  accountId: row.account_id,
  name: row.name ?? DELETED_USER,
  email: row.email ?? '',
  role: row.role,
  canInvite: row.role === 'member' && row.can_invite === 1,
  canReadAudit: row.role !== 'guest' && row.can_read_audit === 1,
  twoFactorEnabled: row.totp_enabled_at !== null,
  joinedAt: row.created_at,
});

export const presentInvitation = (row: InvitationRow, now: string, names: ReadonlyMap<string, string | null>): z.infer<typeof invitationSchema> => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: invitationStatus(row, now),
  invitedBy: { id: row.invited_by, name: (row.invited_by && names.get(row.invited_by)) || DELETED_USER },
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export const presentTeam = (team: TeamWithMembers): z.infer<typeof teamSchema> => ({
  id: team.id,
  name: team.name,
  description: team.description,
  memberCount: team.members.length,
  members: team.members.map((m) => ({ accountId: m.accountId, name: m.name ?? DELETED_USER })),
  createdAt: team.created_at,
});

export const presentSession = (row: SessionRow, currentId: string | null): z.infer<typeof sessionSchema> => ({
  id: row.id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  ip: row.ip,
  userAgent: row.user_agent,
  current: row.id === currentId,
});

export const presentApiKey = (row: ApiKeyRow): z.infer<typeof apiKeySchema> => ({
  id: row.id,
  name: row.name,
  orgId: row.org_id,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});
