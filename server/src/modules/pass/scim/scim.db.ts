/** A SCIM bearer token of one org (issue 4 §5). Only the hash is stored; the secret is shown once. */
export interface ScimTokenRow {
  id: string;
  org_id: string;
  label: string;
  /** sha256 of the secret (base64url); the secret has 256 random bits, so no slow hash is needed. */
  secret_hash: string;
  /** The last four characters of the secret, to tell tokens apart in the UI. */
  hint: string;
  /** The admin who last saw the secret (created or rotated it): protected while the token is live. */
  issued_by: string;
  created_at: string;
  rotated_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/**
 * SCIM attributes Toride has no column for (name parts, title, enterprise extension, a group's
 * externalId), kept so a client reads back what it wrote. Deleted with the resource (W4.5).
 */
export interface ScimResourceRow {
  org_id: string;
  resource_type: 'User' | 'Group';
  resource_id: string;
  external_id: string | null;
  /** JSON object. */
  attributes: string;
  updated_at: string;
}

export interface ScimDb {
  scim_tokens: ScimTokenRow;
  scim_resources: ScimResourceRow;
}
