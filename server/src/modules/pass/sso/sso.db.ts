/**
 * Single sign-on (W6.7, W8.3): per-org SAML 2.0 and OIDC connections, the org's enforcement switch,
 * pending sign-in requests (SAML request ids, OIDC state/nonce/PKCE) and the SAML replay cache.
 */
export interface SsoConnectionRow {
  id: string;
  org_id: string;
  protocol: 'saml' | 'oidc';
  name: string;
  enabled: number;
  /** SAML: the IdP's entity id, SSO URL (HTTP-Redirect), SLO URL, signing certificates (JSON array of PEM bodies). */
  idp_entity_id: string | null;
  idp_sso_url: string | null;
  idp_slo_url: string | null;
  idp_certs: string | null;
  metadata_url: string | null;
  /** When metadata_url was last fetched successfully, and the last refresh failure (null when it worked). */
  metadata_fetched_at: string | null;
  metadata_error: string | null;
  allow_idp_initiated: number;
  slo_enabled: number;
  /** The SP's own signing key (PEM, sealed with the kernel secret box) and self-signed certificate (PEM). */
  sp_signing_key: string | null;
  sp_signing_cert: string | null;
  /** OIDC: issuer, client id, client secret sealed with the kernel secret box, scopes. */
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret: string | null;
  oidc_scopes: string | null;
  /** JSON: attribute/claim names and group → team / value → role maps. */
  mapping: string;
  jit: number;
  last_test_at: string | null;
  last_test_ok: number | null;
  /** JSON: mapped attributes or the precise failure of the last test. */
  last_test_result: string | null;
  created_at: string;
  updated_at: string;
}

export interface SsoOrgSettingsRow {
  org_id: string;
  enforced: number;
  enforced_at: string | null;
  enforced_by: string | null;
  updated_at: string;
}

export interface SsoRequestRow {
  /** SAML AuthnRequest ID, or OIDC `state`. */
  id: string;
  connection_id: string;
  org_id: string;
  /** 1 = an admin's "test connection" run: nothing is signed in, the result is recorded. */
  test: number;
  actor_account_id: string | null;
  nonce: string | null;
  code_verifier: string | null;
  created_at: string;
  expires_at: string;
}

export interface SsoReplayRow {
  /** connection id + ':' + assertion ID. */
  id: string;
  expires_at: string;
}

/** A Toride session started by a SAML sign-in: what single logout needs to find it again. */
export interface SsoSessionRow {
  session_id: string;
  connection_id: string;
  org_id: string;
  account_id: string;
  name_id: string;
  name_id_format: string | null;
  session_index: string | null;
  created_at: string;
  /** The session's absolute end: the row is swept after it. */
  expires_at: string;
}

export interface SsoDb {
  sso_connections: SsoConnectionRow;
  sso_org_settings: SsoOrgSettingsRow;
  sso_requests: SsoRequestRow;
  sso_replay: SsoReplayRow;
  sso_sessions: SsoSessionRow;
}

/**
 * The verified-domains table of the pass store (owned by `pass/domains`), as far as SSO reads it:
 * which org holds an email domain verified (enforcement scope, JIT). Read-only here.
 */
export interface VerifiedDomainsView {
  verified_domains: { org_id: string; domain: string; verified_at: string | null };
}
