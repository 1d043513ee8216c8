import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/client';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from '../domains/dns-test-server';
import { loginAtProvider, startTestOidcProvider } from './oidc-test-provider';
import { orgWithDomain, pathOf } from './sso-test-support';

/** W6.7/W8.3: OIDC sign-in end to end against oidc-provider running on 127.0.0.1 (code + PKCE, state, nonce). */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
let op: Awaited<ReturnType<typeof startTestOidcProvider>>;
beforeAll(async () => {
  dns = await startTestDnsServer();
  op = await startTestOidcProvider();
  t = await buildTestApp({ config: { dnsServers: dns.address, outboundPrivateTargets: 'on' } });
});
afterAll(async () => {
  await t?.close();
  await op?.close();
  await dns?.close();
});

const PUBLIC = 'http://127.0.0.1:3000';

async function oidcOrg(mapping?: Record<string, unknown>) {
  const { admin, domain } = await orgWithDomain(t, dns);
  const created = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/sso/connections`, {
    protocol: 'oidc',
    name: 'Corp OIDC',
    issuer: op.issuer,
    clientId: `toride-${domain}`,
    clientSecret: 'a-long-client-secret-for-tests',
    jit: true,
    ...(mapping ? { mapping } : {}),
  });
  expect(created.status).toBe(201);
  op.configure({ clientId: `toride-${domain}`, clientSecret: 'a-long-client-secret-for-tests', redirectUris: [created.body.oidc.redirectUri] });
  return { admin, domain, conn: created.body as { id: string; oidc: { redirectUri: string; clientSecretSet: boolean } } };
}

async function signIn(browser: TestClient, connId: string, login: string) {
  const started = await browser.get(`/sso/oidc/${connId}/login`);
  expect(started.status).toBe(302);
  const authorize = new URL(String(started.headers.location));
  expect(authorize.origin).toBe(op.issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  const callback = await loginAtProvider(authorize.href, login, PUBLIC);
  return { callback, response: await browser.get(pathOf(callback)) };
}

describe('OIDC sign-in against oidc-provider', () => {
  it('stores the client secret sealed and never shows it', async () => {
    const { conn } = await oidcOrg();
    expect(conn.oidc.clientSecretSet).toBe(true);
    expect(JSON.stringify(conn)).not.toContain('a-long-client-secret-for-tests');
  });

  it('signs in with code + PKCE, provisions just in time, maps claims and groups, and audits the method', async () => {
    const { admin, domain, conn } = await oidcOrg({ groupTeams: { staff: 'Staff' } });
    const email = `oidc-user@${domain}`;
    op.users.set(email, { email, name: 'Oidc User', groups: ['staff'] });
    const browser = new TestClient(t.app);
    const { response } = await signIn(browser, conn.id, email);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect((await browser.get('/api/v1/me')).body.account.email).toBe(email);
    const managed = await t.identity.managedAccounts.findByEmail(admin.orgId, email);
    expect(managed).toMatchObject({ name: 'Oidc User', externalId: email });
    const staff = (await t.identity.teams.list(admin.orgId)).find((team) => team.name === 'Staff');
    expect(staff?.memberIds).toEqual([managed!.id]);
    const [event] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'auth.sign_in' });
    expect(event).toMatchObject({ outcome: 'success', details: expect.objectContaining({ method: 'oidc' }) });
  });

  it('refuses a callback in another browser (state bound to the browser), a replayed callback, and a forged state', async () => {
    const { admin, domain, conn } = await oidcOrg();
    const email = `bound@${domain}`;
    const first = new TestClient(t.app);
    const started = await first.get(`/sso/oidc/${conn.id}/login`);
    const callback = await loginAtProvider(String(started.headers.location), email, PUBLIC);
    const thief = new TestClient(t.app);
    const stolen = await thief.get(pathOf(callback));
    expect(stolen.headers.location).toBe('/signin?ssoError=sso.oidc_state');
    expect(thief.cookie('toride_session')).toBeUndefined();
    const forged = await new TestClient(t.app).get(`/sso/oidc/${conn.id}/callback?code=x&state=forged`);
    expect(forged.headers.location).toBe('/signin?ssoError=sso.oidc_state');
    const failures = await t.kernel.audit.list({ orgId: admin.orgId, action: 'auth.sign_in' });
    expect(failures.filter((e) => e.outcome === 'failure' && e.details?.reason === 'sso.oidc_state').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an unverified email address from the IdP', async () => {
    const { domain, conn } = await oidcOrg();
    const email = `unverified@${domain}`;
    op.users.set(email, { email, emailVerified: false });
    const { response } = await signIn(new TestClient(t.app), conn.id, email);
    expect(response.headers.location).toBe('/signin?ssoError=sso.email_unverified');
  });

  it('test connection runs the flow in test mode and records the mapped claims', async () => {
    const { admin, domain, conn } = await oidcOrg();
    const email = `tester@${domain}`;
    op.users.set(email, { email, name: 'Tess Oidc' });
    const base = `/api/v1/orgs/${admin.orgId}/pass/sso/connections/${conn.id}`;
    const started = await admin.client.post(`${base}/test`);
    expect(started.status).toBe(200);
    const callback = await loginAtProvider(started.body.url, email, PUBLIC);
    const done = await admin.client.get(pathOf(callback));
    expect(done.headers.location).toBe(`/orgs/${admin.orgId}/settings/sso?test=${conn.id}`);
    expect((await admin.client.get(base)).body.lastTest).toMatchObject({ ok: true, result: { mapped: { email, name: 'Tess Oidc' } } });
    expect(await t.identity.managedAccounts.findByEmail(admin.orgId, email)).toBeNull();
  });
});
