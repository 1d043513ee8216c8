export type Locale = 'ja' | 'en';
export type Role = 'admin' | 'member' | 'guest';

export interface Account {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
}

export interface OrgSummary {
  id: string;
  name: string;
  locale: Locale;
  role: Role;
  canInvite: boolean;
  requireTwoFactor: boolean;
  /** The org's contract state (lifecycle): the banner on its pages, and the restore for admins. */
  lifecycle?: { state: string; deletesAt: string | null; purgeStartsAt: string | null };
}

export interface Me {
  account: Account;
  orgs: OrgSummary[];
  csrfToken: string;
}

export interface OrgAbilities {
  manageMembers: boolean;
  invite: boolean;
  manageTeams: boolean;
  manageOrg: boolean;
  viewMembers: boolean;
  readAudit: boolean;
}

export interface Org {
  id: string;
  name: string;
  locale: Locale;
  createdAt: string;
  requireTwoFactor: boolean;
  myRole: Role;
  abilities: OrgAbilities;
}

export interface Member {
  accountId: string;
  name: string;
  email: string;
  role: Role;
  canInvite: boolean;
  canReadAudit: boolean;
  twoFactorEnabled: boolean;
  joinedAt: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  invitedBy: { id: string | null; name: string };
  createdAt: string;
  expiresAt: string;
}

export interface InvitationPreview {
  orgName: string;
  email: string;
  role: Role;
  inviterName: string | null;
  expiresAt: string;
  accountExists: boolean;
}

export interface Team {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  members: { accountId: string; name: string }[];
  createdAt: string;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  orgId: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface Items<T> {
  items: T[];
}

export type SignInResult =
  | { status: 'signed_in'; me: Me }
  | { status: 'two_factor_required'; challengeId: string };

export interface TwoFactorSetup {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export const MIN_PASSWORD = 10;
