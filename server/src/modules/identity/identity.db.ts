import type { Config } from '../../config';
import type { StoreSpec } from '../../kernel/store';
import * as createIdentity from './migrations/20261125T1905-create-identity';
import * as addAuditPermission from './migrations/20261125T2000-add-audit-permission';
import * as managedAccounts from './migrations/20261125T2240-managed-accounts';
import * as sessionMethod from './migrations/20261207T2350-add-session-method';

export type EmailTokenPurpose = 'verify_email' | 'change_email' | 'reset_password' | 'managed_conversion';
export type Role = 'admin' | 'member' | 'guest';
export type Locale = 'ja' | 'en';

export interface AccountRow {
  id: string;
  email: string | null;
  email_verified_at: string | null;
  name: string | null;
  locale: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_counter: number | null;
  password_changed_at: string | null;
  created_at: string;
  deleted_at: string | null;
  /** W8.3: the one org a managed account belongs to; null for ordinary (self-managed) accounts. */
  managed_org_id: string | null;
  /** The IdP's id for a managed account (SCIM `externalId`, SAML/OIDC subject). */
  external_id: string | null;
  /** A suspended managed account cannot sign in; its sessions and API keys were ended. */
  suspended_at: string | null;
  updated_at: string | null;
}

export interface OrganizationRow {
  id: string;
  name: string;
  locale: string;
  require_two_factor: number;
  contract_admin_id: string | null;
  plan_state: string;
  created_at: string;
  deleted_at: string | null;
}

export interface MembershipRow {
  org_id: string;
  account_id: string;
  role: Role;
  can_invite: number;
  /** W7.6: may read the audit log; admins hold it by default and at least one admin always does. */
  can_read_audit: number;
  created_at: string;
}

export interface TeamRow {
  id: string;
  org_id: string;
  name: string;
  description: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface InvitationRow {
  id: string;
  org_id: string;
  email: string;
  role: Role;
  token_hash: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
}

export interface SessionRow {
  id: string;
  token_hash: string;
  account_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  /** How it was started: 'password' (also sign-up and invitation), 'saml' or 'oidc'; null before it was recorded. */
  method: SessionMethod | null;
}

export type SessionMethod = 'password' | 'saml' | 'oidc';

export interface ApiKeyRow {
  id: string;
  account_id: string;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface IdentityDb {
  accounts: AccountRow;
  organizations: OrganizationRow;
  memberships: MembershipRow;
  teams: TeamRow;
  team_members: { team_id: string; org_id: string; account_id: string; added_at: string };
  invitations: InvitationRow;
  sessions: SessionRow;
  two_factor_challenges: { id: string; account_id: string; created_at: string; expires_at: string; attempts: number };
  recovery_codes: { id: string; account_id: string; code_hash: string; used_at: string | null };
  email_tokens: {
    id: string;
    account_id: string;
    purpose: EmailTokenPurpose;
    email: string;
    token_hash: string;
    created_at: string;
    expires_at: string;
    used_at: string | null;
    /** The org that asked (managed-account conversion consent); null for the other purposes. */
    org_id?: string | null;
  };
  api_keys: ApiKeyRow;
  sign_in_throttle: { email: string; failures: number; locked_until: string | null; updated_at: string };
}

/** Accounts live in the accounts region, `us-west` by default (W3.2). */
export const identityStoreSpec = (config: Config): StoreSpec => ({
  module: 'identity',
  region: config.regionIdentity,
  migrations: {
    '20261125T1905-create-identity': createIdentity,
    '20261125T2000-add-audit-permission': addAuditPermission,
    '20261125T2240-managed-accounts': managedAccounts,
    '20261207T2350-add-session-method': sessionMethod,
  },
});
