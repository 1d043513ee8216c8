import type { Selectable } from 'kysely';

/** Classic-space tables of the projects store (migration 20261126T2320-classic). */
export type ClassicRoleType = 1 | 2 | 3 | 4 | 5 | 6;

export interface ClassicSpaceTable {
  org_id: string;
  user_limit: number;
  enabled_at: string;
}

export interface ClassicUserTable {
  space_user_id: number;
  org_id: string;
  login_id: string;
  name: string;
  mail_address: string;
  role_type: ClassicRoleType;
  password_hash: string;
  must_change_password: number;
  created_at: string;
  updated_at: string;
}

/** A browser session from the classic sign-in (migration 20261127T0314-classic-sessions). */
export interface ClassicSessionTable {
  id: string;
  org_id: string;
  space_user_id: number;
  token_hash: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** A classic user's personal API key for `/api/v2` of their space; only the digest is stored. */
export interface ClassicApiKeyTable {
  id: string;
  org_id: string;
  space_user_id: number;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface ClassicTables {
  classic_spaces: ClassicSpaceTable;
  classic_users: ClassicUserTable;
  classic_sessions: ClassicSessionTable;
  classic_api_keys: ClassicApiKeyTable;
}

export type ClassicUserRow = Selectable<ClassicUserTable>;
export type ClassicSessionRow = Selectable<ClassicSessionTable>;
export type ClassicApiKeyRow = Selectable<ClassicApiKeyTable>;

/** Space-local users of a classic space carry this account-id prefix in `space_users`. */
export const CLASSIC_ACCOUNT_PREFIX = 'classic:';
export const isClassicAccount = (accountId: string) => accountId.startsWith(CLASSIC_ACCOUNT_PREFIX);
