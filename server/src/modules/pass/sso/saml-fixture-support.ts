import { expect } from 'vitest';
import { TestClient } from '../../../test/client';
import type { TestUser } from '../../../test/factories';
import type { TestApp } from '../../../test/harness';
import { passStoreSpec } from '../pass.db';
import { fixtureKeys, fixtureOrgs, FIXTURE_PUBLIC_URL, fixtureXml, issuerOf, spOf, type FixtureName, type FixtureOrgName } from './saml-fixtures';
import { b64, createSamlifyIdp, type SpFacts } from './saml-test-idp';
import type { SsoDb } from './sso.db';
import { orgWithDomain, pathOf, type DnsRecords } from './sso-test-support';

/**
 * Test set-up for replaying the committed xmlsec1-signed fixtures (saml-fixtures.ts): the org, its
 * verified domain and its SAML connection are made through the real API, with the IdP metadata of
 * the committed TEST-ONLY key. Two things a signature binds cannot come from the API: the
 * connection's id (the SP entity id, ACS URL and audience derive from it) and the id of an
 * AuthnRequest the SP started. Those rows are given the fixed ids the fixtures were signed for.
 */
const passDb = async (t: TestApp) => (await t.kernel.stores.open<SsoDb>(passStoreSpec(t.config))).db;

export async function pinConnectionId(t: TestApp, createdId: string, fixedId: string): Promise<void> {
  const moved = await (await passDb(t)).updateTable('sso_connections').set({ id: fixedId }).where('id', '=', createdId).executeTakeFirst();
  expect(Number(moved.numUpdatedRows)).toBe(1);
}

/** The AuthnRequest the SP really started (GET /login or a test run) now has the id the fixture answers. */
export async function pinRequestId(t: TestApp, startedId: string, fixedId: string): Promise<void> {
  const moved = await (await passDb(t)).updateTable('sso_requests').set({ id: fixedId }).where('id', '=', startedId).executeTakeFirst();
  expect(Number(moved.numUpdatedRows)).toBe(1);
}

export interface FixtureSamlOrg {
  admin: TestUser;
  domain: string;
  issuer: string;
  idp: Awaited<ReturnType<typeof createSamlifyIdp>>;
  sp: SpFacts;
  acs: string;
  connId: string;
}

export async function fixtureSamlOrg(t: TestApp, dns: DnsRecords, name: FixtureOrgName, options: { jit?: boolean } = {}): Promise<FixtureSamlOrg> {
  // The fixtures name the harness's public URL; a different one would make every replay fail obscurely.
  expect(t.config.publicUrl).toBe(FIXTURE_PUBLIC_URL);
  const org = fixtureOrgs[name];
  const { admin, domain } = await orgWithDomain(t, dns, org.domain);
  const issuer = issuerOf(org);
  const idp = await createSamlifyIdp(issuer, 'http://127.0.0.1:4000/sso', t.clock, fixtureKeys(org.signer));
  const created = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/sso/connections`, { protocol: 'saml', name: 'Corp', metadataXml: idp.metadata, jit: options.jit ?? true, allowIdpInitiated: true });
  expect(created.status).toBe(201);
  await pinConnectionId(t, created.body.id as string, org.connectionId);
  const sp = spOf(org);
  const served = await new TestClient(t.app).get(`/sso/saml/${org.connectionId}/metadata`);
  expect(served.body).toContain(`entityID="${sp.entityId}"`);
  expect(served.body).toContain(`Location="${sp.acsUrl}"`);
  return { admin, domain, issuer, idp, sp, acs: pathOf(sp.acsUrl), connId: org.connectionId };
}

/** A committed fixture as the IdP's auto-submitting form posts it (base64). */
export const fixtureB64 = (name: FixtureName) => b64(fixtureXml(name));
