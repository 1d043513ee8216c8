import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestClock } from '../../../kernel/clock';
import { TestClient } from '../../../test/client';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from '../domains/dns-test-server';
import { fixtureB64, fixtureSamlOrg, pinRequestId } from './saml-fixture-support';
import { FIXTURE_ISSUED_AT, FIXTURE_REQUEST_IDS } from './saml-fixtures';
import { createSamlifyIdp, requestIdOf, type TestIdpUser } from './saml-test-idp';
import { orgWithDomain, pathOf, postAcs } from './sso-test-support';

/**
 * W6.7/W8.3/W13.1: the SAML SP (node-saml) against two independent IdP-side implementations —
 * samlify as an IdP (signing at test time, on the test clock), and responses signed by Debian's
 * xmlsec1 once (`npm run fixtures:saml`), replayed here with the clock at their issue time.
 */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await buildTestApp({ clock: createTestClock(FIXTURE_ISSUED_AT), config: { dnsServers: dns.address, outboundPrivateTargets: 'on' } });
});
beforeEach(() => t.clock.set(FIXTURE_ISSUED_AT));
afterAll(async () => {
  await t?.close();
  await dns?.close();
});

const IDP_SSO = 'http://127.0.0.1:4000/sso';

async function samlOrg(options: { jit?: boolean; mapping?: Record<string, unknown>; allowIdpInitiated?: boolean } = {}) {
  const { admin, domain } = await orgWithDomain(t, dns);
  const idp = await createSamlifyIdp(`https://idp.${domain}/saml`, IDP_SSO, t.clock);
  const created = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/sso/connections`, {
    protocol: 'saml',
    name: 'Corp IdP',
    metadataXml: idp.metadata,
    jit: options.jit ?? true,
    ...(options.mapping ? { mapping: options.mapping } : {}),
    // Explicit: these tests post IdP-initiated responses, whatever the API's default.
    allowIdpInitiated: options.allowIdpInitiated ?? true,
  });
  expect(created.status).toBe(201);
  const conn = created.body as { id: string; saml: { spEntityId: string; acsUrl: string } };
  const sp = { entityId: conn.saml.spEntityId, acsUrl: conn.saml.acsUrl };
  return { admin, domain, idp, conn, sp, acs: pathOf(conn.saml.acsUrl), issuer: `https://idp.${domain}/saml` };
}

/** SP-initiated: the browser asks Toride to start, and gets the IdP URL with the AuthnRequest. */
async function startLogin(browser: TestClient, connId: string): Promise<string> {
  const started = await browser.get(`/sso/saml/${connId}/login`);
  expect(started.status).toBe(302);
  expect(String(started.headers.location)).toMatch(/^http:\/\/127\.0\.0\.1:4000\/sso\?SAMLRequest=/);
  return requestIdOf(String(started.headers.location));
}

async function failuresOf(orgId: string, reason: string) {
  const events = await t.kernel.audit.list({ orgId, action: 'auth.sign_in', limit: 200 });
  return events.filter((e) => e.outcome === 'failure' && e.details?.reason === reason);
}

describe('SAML SP with samlify as the IdP', () => {
  it('serves SP metadata with the entity id and ACS', async () => {
    const { conn, sp } = await samlOrg();
    const response = await new TestClient(t.app).get(`/sso/saml/${conn.id}/metadata`);
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toContain('samlmetadata+xml');
    expect(response.body).toContain(`entityID="${sp.entityId}"`);
    expect(response.body).toContain(`Location="${sp.acsUrl}"`);
  });

  it('signs in SP-initiated, provisions the user just in time, and audits the sign-in with the method', async () => {
    const { admin, domain, idp, conn, sp, acs } = await samlOrg();
    const browser = new TestClient(t.app);
    const requestId = await startLogin(browser, conn.id);
    const user: TestIdpUser = { email: `jit-user@${domain}`, name: 'Jit User' };
    const done = await postAcs(browser, acs, await idp.respond(sp, user, requestId));
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/');
    const me = await browser.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.account.email).toBe(user.email);
    const managed = await t.identity.managedAccounts.findByEmail(admin.orgId, user.email);
    expect(managed).toMatchObject({ name: 'Jit User', role: 'member', externalId: user.email, active: true });
    const [signIn] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'auth.sign_in' });
    expect(signIn).toMatchObject({ outcome: 'success', actor: expect.objectContaining({ id: managed!.id }), details: expect.objectContaining({ method: 'saml', connectionId: conn.id }) });
  });

  it('signs in IdP-initiated (no InResponseTo) unless the connection turned that off', async () => {
    const open = await samlOrg();
    const browser = new TestClient(t.app);
    const done = await postAcs(browser, open.acs, await open.idp.respond(open.sp, { email: `idp-init@${open.domain}` }, null));
    expect(done.headers.location).toBe('/');
    expect((await browser.get('/api/v1/me')).status).toBe(200);

    const closed = await samlOrg({ allowIdpInitiated: false });
    const refused = await postAcs(new TestClient(t.app), closed.acs, await closed.idp.respond(closed.sp, { email: `idp-init@${closed.domain}` }, null));
    expect(refused.headers.location).toBe('/signin?ssoError=sso.idp_initiated_disabled');
    expect(await failuresOf(closed.admin.orgId, 'sso.idp_initiated_disabled')).toHaveLength(1);
  });

  it('refuses a user without an account when JIT is off, and an address outside the verified domains', async () => {
    const off = await samlOrg({ jit: false });
    const r1 = await postAcs(new TestClient(t.app), off.acs, await off.idp.respond(off.sp, { email: `nobody@${off.domain}` }, null));
    expect(r1.headers.location).toBe('/signin?ssoError=sso.no_account');
    const on = await samlOrg();
    const r2 = await postAcs(new TestClient(t.app), on.acs, await on.idp.respond(on.sp, { email: 'someone@elsewhere.example' }, null));
    expect(r2.headers.location).toBe('/signin?ssoError=sso.domain_not_verified');
    expect(await failuresOf(on.admin.orgId, 'sso.domain_not_verified')).toHaveLength(1);
  });

  it('maps groups to teams and role values to roles, and keeps mapped teams in step at each sign-in', async () => {
    const org = await samlOrg({ mapping: { groupTeams: { 'idp-eng': 'Engineering', 'idp-ops': 'Operations' }, roleValues: { boss: 'admin' } } });
    const email = `mapped@${org.domain}`;
    await postAcs(new TestClient(t.app), org.acs, await org.idp.respond(org.sp, { email, groups: ['idp-eng', 'idp-ops', 'other'], role: 'boss' }, null));
    const account = await t.identity.managedAccounts.findByEmail(org.admin.orgId, email);
    expect(account?.role).toBe('admin');
    const teamsAfterFirst = await t.identity.teams.list(org.admin.orgId);
    expect(teamsAfterFirst.filter((team) => team.memberIds.includes(account!.id)).map((team) => team.name).sort()).toEqual(['Engineering', 'Operations']);
    await postAcs(new TestClient(t.app), org.acs, await org.idp.respond(org.sp, { email, groups: ['idp-eng'] }, null));
    const teamsAfterSecond = await t.identity.teams.list(org.admin.orgId);
    expect(teamsAfterSecond.filter((team) => team.memberIds.includes(account!.id)).map((team) => team.name)).toEqual(['Engineering']);
  });

  it('test connection: records the mapped attributes on success and the precise failure otherwise', async () => {
    // The IdP metadata lists the committed TEST-ONLY key; the failing run replays an xmlsec1 fixture signed by another key.
    const org = await fixtureSamlOrg(t, dns, 'testRun');
    const base = `/api/v1/orgs/${org.admin.orgId}/pass/sso/connections/${org.connId}`;
    const started = await org.admin.client.post(`${base}/test`);
    expect(started.status).toBe(200);
    const requestId = requestIdOf(started.body.url);
    const done = await postAcs(org.admin.client, org.acs, await org.idp.respond(org.sp, { email: `tester@${org.domain}`, name: 'Tess' }, requestId));
    expect(done.headers.location).toBe(`/orgs/${org.admin.orgId}/settings/sso?test=${org.connId}`);
    const after = await org.admin.client.get(base);
    expect(after.body.lastTest).toMatchObject({ ok: true, result: { mapped: { email: `tester@${org.domain}`, name: 'Tess', role: 'member' } } });
    // A test run signs nobody in and provisions nobody.
    expect(await t.identity.managedAccounts.findByEmail(org.admin.orgId, `tester@${org.domain}`)).toBeNull();

    const again = requestIdOf((await org.admin.client.post(`${base}/test`)).body.url);
    await pinRequestId(t, again, FIXTURE_REQUEST_IDS.testRun);
    await postAcs(org.admin.client, org.acs, fixtureB64('test-run-rogue-key'));
    const failed = await org.admin.client.get(base);
    expect(failed.body.lastTest).toMatchObject({ ok: false, result: { error: 'sso.saml_signature' } });
    const tested = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'sso.connection.tested' });
    expect(tested.map((e) => e.outcome)).toEqual(['failure', 'success']);
  });
});

describe('SAML SP with responses signed by xmlsec1 (committed fixtures)', () => {
  it('accepts a signed assertion (SP-initiated) and a signed Response (IdP-initiated)', async () => {
    const org = await fixtureSamlOrg(t, dns, 'xmlsec');
    const browser = new TestClient(t.app);
    await pinRequestId(t, await startLogin(browser, org.connId), FIXTURE_REQUEST_IDS.xmlsecLogin);
    expect((await postAcs(browser, org.acs, fixtureB64('xmlsec-signed-assertion'))).headers.location).toBe('/');
    expect((await browser.get('/api/v1/me')).body.account.email).toBe(`xa@${org.domain}`);
    const other = new TestClient(t.app);
    expect((await postAcs(other, org.acs, fixtureB64('xmlsec-signed-response'))).headers.location).toBe('/');
    expect((await other.get('/api/v1/me')).body.account.email).toBe(`xr@${org.domain}`);
  });
});
