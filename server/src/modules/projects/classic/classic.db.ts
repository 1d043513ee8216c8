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

export interface ClassicTables {
  classic_spaces: ClassicSpaceTable;
  classic_users: ClassicUserTable;
}

export type ClassicUserRow = Selectable<ClassicUserTable>;

/** Space-local users of a classic space carry this account-id prefix in `space_users`. */
export const CLASSIC_ACCOUNT_PREFIX = 'classic:';
export const isClassicAccount = (accountId: string) => accountId.startsWith(CLASSIC_ACCOUNT_PREFIX);
