import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SsoConnectionRow } from './sso.db';
import { acsUrlOf, oidcRedirectOf, parseMapping, publicBase, sloUrlOf, spEntityIdOf, SSO_PREFIX, type SsoDeps } from './sso.deps';

/** Request and response shapes of `/orgs/:orgId/pass/sso…`; OpenAPI is generated from these. */
const id = z.string().min(1).max(64);
const role = z.enum(['admin', 'member', 'guest']);
const attr = z.string().trim().min(1).max(200);

export const ssoOrgParams = z.object({ orgId: id });
export const ssoConnectionParams = z.object({ orgId: id, connectionId: id });

const mappingInput = z
  .object({
    email: attr,
    name: attr,
    groups: attr,
    role: attr,
    groupTeams: z.record(attr, z.string().trim().min(1).max(100)),
    roleValues: z.record(attr, role),
    defaultRole: z.enum(['member', 'guest']),
  })
  .partial()
  .strict();

const common = {
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().optional(),
  mapping: mappingInput.optional(),
  jit: z.boolean().optional(),
};
const samlFields = {
  metadataXml: z.string().min(1).max(512 * 1024).optional(),
  metadataUrl: z.string().url().max(2000).optional(),
  allowIdpInitiated: z.boolean().optional(),
  sloEnabled: z.boolean().optional(),
};
const oidcFields = {
  issuer: z.string().url().max(2000).optional(),
  clientId: z.string().min(1).max(500).optional(),
  clientSecret: z.string().min(1).max(2000).optional(),
  scopes: z.string().trim().min(6).max(500).regex(/(^|\s)openid(\s|$)/).optional(),
};

export const createConnectionBody = z.discriminatedUnion('protocol', [
  z.object({ protocol: z.literal('saml'), ...common, ...samlFields }).strict(),
  z.object({ protocol: z.literal('oidc'), ...common, ...oidcFields }).strict(),
]);

export const updateConnectionBody = z
  .object({ ...common, name: common.name.optional(), ...samlFields, ...oidcFields })
  .partial()
  .strict();

export const enforcementBody = z.object({ enforced: z.boolean() }).strict();

const mappingSchema = z.object({
  email: z.string(),
  name: z.string(),
  groups: z.string(),
  role: z.string(),
  groupTeams: z.record(z.string(), z.string()),
  roleValues: z.record(z.string(), role),
  defaultRole: z.enum(['member', 'guest']),
});

export const connectionSchema = z.object({
  id: z.string(),
  protocol: z.enum(['saml', 'oidc']),
  name: z.string(),
  enabled: z.boolean(),
  jit: z.boolean(),
  mapping: mappingSchema,
  loginUrl: z.string(),
  saml: z
    .object({
      idpEntityId: z.string().nullable(),
      idpSsoUrl: z.string().nullable(),
      idpSloUrl: z.string().nullable(),
      metadataUrl: z.string().nullable(),
      /** Metadata by URL: last successful fetch, and why the last refresh failed (null when it worked). */
      metadataFetchedAt: z.string().nullable(),
      metadataError: z.string().nullable(),
      certificates: z.array(z.object({ sha256: z.string() })),
      allowIdpInitiated: z.boolean(),
      sloEnabled: z.boolean(),
      spEntityId: z.string(),
      acsUrl: z.string(),
      sloUrl: z.string(),
      spMetadataUrl: z.string(),
    })
    .nullable(),
  oidc: z.object({ issuer: z.string().nullable(), clientId: z.string().nullable(), clientSecretSet: z.boolean(), scopes: z.string().nullable(), redirectUri: z.string() }).nullable(),
  lastTest: z.object({ at: z.string(), ok: z.boolean(), result: z.record(z.string(), z.unknown()) }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ssoOverviewSchema = z.object({
  enforced: z.boolean(),
  enforcedAt: z.string().nullable(),
  breakGlassAdmins: z.number(),
  connections: z.array(connectionSchema),
});

export const testStartSchema = z.object({ url: z.string() });

/** SHA-256 of a certificate (DER), as admins compare it with their IdP's console. */
export const fingerprint = (body: string) => createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex').toUpperCase().match(/../g)!.join(':');

/** Never the sealed client secret, nor any other internal column. */
export function presentConnection(deps: SsoDeps, row: SsoConnectionRow): z.infer<typeof connectionSchema> {
  return {
    id: row.id,
    protocol: row.protocol,
    name: row.name,
    enabled: row.enabled === 1,
    jit: row.jit === 1,
    mapping: parseMapping(row.mapping),
    loginUrl: `${publicBase(deps)}${SSO_PREFIX}/${row.protocol}/${row.id}/login`,
    saml:
      row.protocol === 'saml'
        ? {
            idpEntityId: row.idp_entity_id,
            idpSsoUrl: row.idp_sso_url,
            idpSloUrl: row.idp_slo_url,
            metadataUrl: row.metadata_url,
            metadataFetchedAt: row.metadata_fetched_at,
            metadataError: row.metadata_error,
            certificates: (JSON.parse(row.idp_certs ?? '[]') as string[]).map((c) => ({ sha256: fingerprint(c) })),
            allowIdpInitiated: row.allow_idp_initiated === 1,
            sloEnabled: row.slo_enabled === 1,
            spEntityId: spEntityIdOf(deps, row.id),
            acsUrl: acsUrlOf(deps, row.id),
            sloUrl: sloUrlOf(deps, row.id),
            spMetadataUrl: spEntityIdOf(deps, row.id),
          }
        : null,
    oidc:
      row.protocol === 'oidc'
        ? { issuer: row.oidc_issuer, clientId: row.oidc_client_id, clientSecretSet: row.oidc_client_secret !== null, scopes: row.oidc_scopes, redirectUri: oidcRedirectOf(deps, row.id) }
        : null,
    lastTest: row.last_test_at ? { at: row.last_test_at, ok: row.last_test_ok === 1, result: JSON.parse(row.last_test_result ?? '{}') as Record<string, unknown> } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
