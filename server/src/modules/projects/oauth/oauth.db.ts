import type { Generated, Selectable } from 'kysely';

/** OAuth 2.0 tables of the projects store (migration 20261126T2300-oauth). Secrets are stored hashed. */
export interface OAuthAppTable {
  id: Generated<number>;
  org_id: string;
  name: string;
  client_id: string;
  client_secret_hash: string;
  redirect_uri: string;
  created_by: string;
  created_at: string;
}

export interface OAuthCodeTable {
  code_hash: string;
  org_id: string;
  app_id: number;
  account_id: string;
  redirect_uri: string;
  expires_at: string;
  used_at: string | null;
}

export interface OAuthTokenTable {
  id: Generated<number>;
  org_id: string;
  app_id: number;
  account_id: string;
  access_hash: string;
  access_expires_at: string;
  refresh_hash: string;
  refresh_expires_at: string;
  created_at: string;
  revoked_at: string | null;
}

export interface OAuthTables {
  oauth_apps: OAuthAppTable;
  oauth_codes: OAuthCodeTable;
  oauth_tokens: OAuthTokenTable;
}

export type OAuthAppRow = Selectable<OAuthAppTable>;
export type OAuthTokenRow = Selectable<OAuthTokenTable>;
