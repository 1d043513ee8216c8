import type { FastifyRequest } from 'fastify';
import { newId } from '../../../kernel/crypto';
import { assertThat, badRequest, conflict, notFound } from '../../../kernel/errors';
import type { OrgAccess } from '../../identity';
import type { SsoConnectionRow } from './sso.db';
import { auditByAdmin, defaultMapping, outboundPolicy, parseMapping, ssoRepo, type SsoDeps, type SsoMapping } from './sso.deps';
import { assertHttpUrl, assertOutbound, fetchIdpMetadata, parseIdpMetadata, type IdpMetadata } from './sso.metadata';

export const connectionNotFound = () => notFound('sso.connection_not_found', 'SSO connection not found.');

export interface SamlSettingsInput {
  metadataXml?: string | undefined;
  metadataUrl?: string | undefined;
  allowIdpInitiated?: boolean | undefined;
  sloEnabled?: boolean | undefined;
}

export interface OidcSettingsInput {
  issuer?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  scopes?: string | undefined;
}

export interface ConnectionInput extends SamlSettingsInput, OidcSettingsInput {
  protocol: 'saml' | 'oidc';
  name: string;
  enabled?: boolean | undefined;
  mapping?: Partial<SsoMapping> | undefined;
  jit?: boolean | undefined;
}

export type ConnectionPatch = Partial<Omit<ConnectionInput, 'protocol'>>;

interface FoundMetadata {
  metadata: IdpMetadata;
  url: string | null;
  fetchedAt: string | null;
}

async function resolveMetadata(deps: SsoDeps, input: SamlSettingsInput): Promise<FoundMetadata | null> {
  if (input.metadataXml) return { metadata: await parseIdpMetadata(input.metadataXml), url: null, fetchedAt: null };
  if (input.metadataUrl) {
    const { metadata } = await fetchIdpMetadata(input.metadataUrl, outboundPolicy(deps));
    return { metadata, url: input.metadataUrl, fetchedAt: deps.kernel.clock.now().toISOString() };
  }
  return null;
}

export const samlColumns = (found: FoundMetadata) => ({
  idp_entity_id: found.metadata.entityId,
  idp_sso_url: found.metadata.ssoUrl,
  idp_slo_url: found.metadata.sloUrl,
  idp_certs: JSON.stringify(found.metadata.certs),
  metadata_url: found.url,
  metadata_fetched_at: found.fetchedAt,
  metadata_error: null,
});

function oidcColumns(deps: SsoDeps, input: OidcSettingsInput) {
  const columns: Partial<SsoConnectionRow> = {};
  if (input.issuer !== undefined) {
    assertHttpUrl(input.issuer);
    assertOutbound(input.issuer, outboundPolicy(deps));
    columns.oidc_issuer = input.issuer.replace(/\/$/, '');
  }
  if (input.clientId !== undefined) columns.oidc_client_id = input.clientId;
  // W9.3: the client secret is stored sealed with the deployment's secret key, never shown again.
  if (input.clientSecret !== undefined) columns.oidc_client_secret = deps.kernel.secrets.seal(input.clientSecret);
  if (input.scopes !== undefined) columns.oidc_scopes = input.scopes;
  return columns;
}

const mergeMapping = (current: SsoMapping, patch: Partial<SsoMapping> | undefined): SsoMapping => ({ ...current, ...(patch ?? {}) });

export async function createConnection(deps: SsoDeps, request: FastifyRequest, access: OrgAccess, input: ConnectionInput): Promise<SsoConnectionRow> {
  const now = deps.kernel.clock.now().toISOString();
  const row: SsoConnectionRow = {
    id: newId(),
    org_id: access.org.id,
    protocol: input.protocol,
    name: input.name,
    enabled: input.enabled === false ? 0 : 1,
    idp_entity_id: null,
    idp_sso_url: null,
    idp_slo_url: null,
    idp_certs: null,
    metadata_url: null,
    metadata_fetched_at: null,
    metadata_error: null,
    // Issue 13 §6: off unless the admin turns it on (an unsolicited response has no request to bind to).
    allow_idp_initiated: input.allowIdpInitiated ? 1 : 0,
    slo_enabled: input.sloEnabled ? 1 : 0,
    sp_signing_key: null,
    sp_signing_cert: null,
    oidc_issuer: null,
    oidc_client_id: null,
    oidc_client_secret: null,
    oidc_scopes: null,
    mapping: JSON.stringify(mergeMapping(defaultMapping(), input.mapping)),
    jit: input.jit ? 1 : 0,
    last_test_at: null,
    last_test_ok: null,
    last_test_result: null,
    created_at: now,
    updated_at: now,
  };
  if (input.protocol === 'saml') {
    const found = await resolveMetadata(deps, input);
    assertThat(found, () => badRequest('sso.metadata_required', 'Give the IdP metadata as XML or as a URL.'));
    Object.assign(row, samlColumns(found));
  } else {
    assertThat(input.issuer && input.clientId && input.clientSecret, () =>
      badRequest('sso.oidc_settings_required', 'Give the issuer, client id and client secret.'),
    );
    Object.assign(row, oidcColumns(deps, input));
    row.oidc_scopes ??= 'openid email profile';
  }
  await ssoRepo(deps).insertConnection(row);
  await auditByAdmin(deps, request, access, { action: 'sso.connection.created', target: { type: 'sso_connection', id: row.id }, details: { protocol: row.protocol, idp: row.idp_entity_id ?? row.oidc_issuer } });
  return row;
}

export async function findConnection(deps: SsoDeps, orgId: string, id: string): Promise<SsoConnectionRow> {
  const row = await ssoRepo(deps).findConnection(orgId, id);
  assertThat(row, connectionNotFound);
  return row;
}

export async function updateConnection(deps: SsoDeps, request: FastifyRequest, access: OrgAccess, id: string, patch: ConnectionPatch): Promise<SsoConnectionRow> {
  const current = await findConnection(deps, access.org.id, id);
  const changes: Partial<SsoConnectionRow> = { updated_at: deps.kernel.clock.now().toISOString() };
  let idpChanged = false;
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.jit !== undefined) changes.jit = patch.jit ? 1 : 0;
  if (patch.mapping !== undefined) changes.mapping = JSON.stringify(mergeMapping(parseMapping(current.mapping), patch.mapping));
  if (current.protocol === 'saml') {
    const found = await resolveMetadata(deps, patch);
    if (found) Object.assign(changes, samlColumns(found));
    idpChanged = Boolean(found);
    if (patch.allowIdpInitiated !== undefined) changes.allow_idp_initiated = patch.allowIdpInitiated ? 1 : 0;
    if (patch.sloEnabled !== undefined) changes.slo_enabled = patch.sloEnabled ? 1 : 0;
  } else {
    Object.assign(changes, oidcColumns(deps, patch));
    idpChanged = patch.issuer !== undefined || patch.clientId !== undefined || patch.clientSecret !== undefined;
  }
  if (patch.enabled !== undefined) {
    if (!patch.enabled) await assertNotLastEnforcedConnection(deps, access.org.id, id);
    changes.enabled = patch.enabled ? 1 : 0;
  }
  // A changed IdP has to be tested again before it may carry enforcement.
  if (idpChanged) {
    await assertNotLastEnforcedConnection(deps, access.org.id, id);
    Object.assign(changes, { last_test_ok: null, last_test_at: null, last_test_result: null });
  }
  await ssoRepo(deps).updateConnection(access.org.id, id, changes);
  await auditByAdmin(deps, request, access, { action: 'sso.connection.updated', target: { type: 'sso_connection', id }, details: { fields: Object.keys(patch) } });
  return findConnection(deps, access.org.id, id);
}

export async function deleteConnection(deps: SsoDeps, request: FastifyRequest, access: OrgAccess, id: string): Promise<void> {
  await findConnection(deps, access.org.id, id);
  await assertNotLastEnforcedConnection(deps, access.org.id, id);
  await ssoRepo(deps).deleteConnection(access.org.id, id);
  await auditByAdmin(deps, request, access, { action: 'sso.connection.deleted', target: { type: 'sso_connection', id } });
}

/** While SSO is enforced, the org keeps at least one enabled, tested connection. */
async function assertNotLastEnforcedConnection(deps: SsoDeps, orgId: string, id: string): Promise<void> {
  const settings = await ssoRepo(deps).findSettings(orgId);
  if (!settings?.enforced) return;
  const others = (await ssoRepo(deps).listConnections(orgId)).filter((c) => c.id !== id && c.enabled && c.last_test_ok);
  assertThat(others.length > 0, () =>
    conflict('sso.enforced_needs_connection', 'SSO is enforced: keep at least one enabled, tested connection, or turn enforcement off first.'),
  );
}
