import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/client';
import { addMember, enableTwoFactor, PASSWORD, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { currentTotp } from '../../../kernel/totp';
import { startTestDnsServer } from '../domains/dns-test-server';
import { createSamlifyIdp, requestIdOf } from './saml-test-idp';
import { memberOn, orgWithDomain, pathOf, postAcs } from './sso-test-support';

/**
 * W6.7/W8.3/W7.7/W13.1: the SSO admin API (permissions, validation, cross-tenant), metadata by URL,
 * enforcement after a successful test with break-glass admins, and deprovisioning.
 */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
let metadataServer: http.Server;
let metadataBody = '';
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await buildTestApp({ config: { dnsServers: dns.address, outboundPrivateTargets: 'on' } });
  metadataServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadataBody));
  await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await t?.close();
  await dns?.close();
  metadataServer?.close();
});

async function samlOrg() {
  const { admin, domain } = await orgWithDomain(t, dns);
  const idp = await createSamlifyIdp(`https://idp.${domain}/saml`, 'http://127.0.0.1:4000/sso', t.clock);
  const created = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/sso/connections`, { protocol: 'saml', name: 'Corp', metadataXml: idp.metadata, jit: true, allowIdpInitiated: true });
  expect(created.status).toBe(201);
  const sp = { entityId: created.body.saml.spEntityId as string, acsUrl: created.body.saml.acsUrl as string };
  const base = `/api/v1/orgs/${admin.orgId}/pass/sso`;
  return { admin, domain, idp, sp, acs: pathOf(sp.acsUrl), connId: created.body.id as string, base };
}

type Org = Awaited<ReturnType<typeof samlOrg>>;

async function passTest(org: Org) {
  const started = await org.admin.client.post(`${org.base}/connections/${org.connId}/test`);
  await postAcs(org.admin.client, org.acs, await org.idp.respond(org.sp, { email: `t@${org.domain}` }, requestIdOf(started.body.url)));
}

const passwordSignIn = (email: string) => new TestClient(t.app).post('/api/v1/sessions', { email, password: PASSWORD });

describe('SSO admin API: permissions and tenancy (W7.7)', () => {
  it('answers 401 signed out, 403 to members, 404 to other orgs exactly like a random id', async () => {
    const org = await samlOrg();
    expect((await new TestClient(t.app).get(org.base)).status).toBe(401);
    const member = await addMember(t, org.admin, 'member');
    const forbidden = await member.client.get(org.base);
    expect(forbidden.status).toBe(403);
    expect((await member.client.post(`${org.base}/connections/${org.connId}/test`)).status).toBe(403);
    const stranger = await signUpUser(t);
    const theirs = await stranger.client.get(org.base);
    const random = await stranger.client.get('/api/v1/orgs/00000000000000000000000000/pass/sso');
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(random.body);
    // A connection id of another org under one's own org: same as an unknown id.
    const own = `/api/v1/orgs/${stranger.orgId}/pass/sso/connections`;
    const foreign = await stranger.client.get(`${own}/${org.connId}`);
    const unknown = await stranger.client.get(`${own}/nope`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
    expect((await stranger.client.patch(`${own}/${org.connId}`, { name: 'x' })).status).toBe(404);
    expect((await stranger.client.delete(`${own}/${org.connId}`)).status).toBe(404);
    expect((await stranger.client.post(`${own}/${org.connId}/test`)).status).toBe(404);
  });

  it('validates input with stable codes', async () => {
    const org = await samlOrg();
    const url = `${org.base}/connections`;
    expect((await org.admin.client.post(url, { protocol: 'ldap', name: 'x' })).status).toBe(400);
    const noMetadata = await org.admin.client.post(url, { protocol: 'saml', name: 'x' });
    expect(noMetadata.body.error.code).toBe('sso.metadata_required');
    const badXml = await org.admin.client.post(url, { protocol: 'saml', name: 'x', metadataXml: '<not-closed' });
    expect(badXml.body.error.code).toBe('sso.invalid_metadata');
    const noIdp = await org.admin.client.post(url, { protocol: 'saml', name: 'x', metadataXml: '<EntityDescriptor entityID="x"/>' });
    expect(noIdp.body.error.code).toBe('sso.invalid_metadata');
    const noSecret = await org.admin.client.post(url, { protocol: 'oidc', name: 'x', issuer: 'http://127.0.0.1:1', clientId: 'c' });
    expect(noSecret.body.error.code).toBe('sso.oidc_settings_required');
    expect((await org.admin.client.put(`${org.base}/enforcement`, { enforced: 'yes' })).status).toBe(400);
  });

  it('imports IdP metadata by URL (certificates, SSO URL, entity id)', async () => {
    const org = await samlOrg();
    const idp = await createSamlifyIdp('https://idp.by-url.example/saml', 'http://127.0.0.1:4001/sso', t.clock);
    metadataBody = idp.metadata;
    const metadataUrl = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}/metadata`;
    const created = await org.admin.client.post(`${org.base}/connections`, { protocol: 'saml', name: 'By URL', metadataUrl });
    expect(created.status).toBe(201);
    expect(created.body.saml).toMatchObject({ idpEntityId: 'https://idp.by-url.example/saml', idpSsoUrl: 'http://127.0.0.1:4001/sso', metadataUrl });
    expect(created.body.saml.certificates).toEqual([{ sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) }]);
    const audit = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'sso.connection.created' });
    expect(audit).toHaveLength(2);
  });
});

describe('SSO enforcement with a safe rollout (W8.3)', () => {
  it('needs a successful test and a break-glass admin; then refuses password sign-in on the verified domain', async () => {
    const org = await samlOrg();
    const enforce = (enforced: boolean) => org.admin.client.put(`${org.base}/enforcement`, { enforced });
    expect((await enforce(true)).body.error.code).toBe('sso.test_required');
    await passTest(org);
    const noBreakGlass = await enforce(true);
    expect(noBreakGlass.status).toBe(409);
    expect(noBreakGlass.body.error.code).toBe('sso.break_glass_required');
    const { secret } = await enableTwoFactor(t, org.admin);
    expect((await org.admin.client.get(org.base)).body.breakGlassAdmins).toBe(1);
    const member = await memberOn(t, org.admin, org.domain);
    const otherAdmin = await memberOn(t, org.admin, org.domain, 'admin');
    const outsider = await addMember(t, org.admin, 'member'); // example.test: not a verified domain of the org
    const on = await enforce(true);
    expect(on.status).toBe(200);
    expect(on.body.enforced).toBe(true);

    const refused = await passwordSignIn(member.email);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.sso_required');
    expect((await passwordSignIn(otherAdmin.email)).body.error.code).toBe('auth.sso_required');
    const denied = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'auth.sign_in' });
    expect(denied.filter((e) => e.outcome === 'denied' && e.details?.reason === 'sso_enforced')).toHaveLength(2);
    expect((await passwordSignIn(outsider.email)).status).toBe(200);

    // Break-glass: the non-managed admin with 2FA still signs in with a password. The password step is
    // recorded as an attempt; the alert and mail come only once the second factor succeeded (issue 13 §5).
    const breakGlass = await passwordSignIn(org.admin.email);
    expect(breakGlass.status).toBe(200);
    expect(breakGlass.body.status).toBe('two_factor_required');
    const [attempt] = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'sso.break_glass.attempt' });
    expect(attempt).toMatchObject({ outcome: 'success', actor: expect.objectContaining({ id: org.admin.accountId }) });
    expect(await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'sso.break_glass.sign_in' })).toHaveLength(0);
    expect((await t.kernel.mailer.outbox(50)).some((m) => /break-glass/.test(m.subject))).toBe(false);
    t.clock.advance(30_000);
    const second = await new TestClient(t.app).post('/api/v1/sessions/two-factor', { challengeId: breakGlass.body.challengeId, code: currentTotp(secret, t.clock.now()) });
    expect(second.body.status).toBe('signed_in');
    const [alert] = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'sso.break_glass.sign_in' });
    expect(alert).toMatchObject({ outcome: 'success', actor: expect.objectContaining({ id: org.admin.accountId }), details: { alert: true } });
    const mails = await t.kernel.mailer.outbox(50);
    expect(mails.some((m) => m.to === otherAdmin.email && /break-glass/.test(m.subject))).toBe(true);
    expect(mails.some((m) => m.to === org.admin.email && /break-glass/.test(m.subject))).toBe(false);

    // The last tested connection cannot be switched off while enforced.
    expect((await org.admin.client.patch(`${org.base}/connections/${org.connId}`, { enabled: false })).body.error.code).toBe('sso.enforced_needs_connection');
    expect((await org.admin.client.delete(`${org.base}/connections/${org.connId}`)).status).toBe(409);
    const off = await enforce(false);
    expect(off.body.enforced).toBe(false);
    expect((await passwordSignIn(member.email)).status).toBe(200);
    const changes = await t.kernel.audit.list({ orgId: org.admin.orgId });
    expect(changes.map((e) => `${e.action}:${e.outcome}`)).toEqual(expect.arrayContaining(['sso.enforcement.enabled:denied', 'sso.enforcement.enabled:success', 'sso.enforcement.disabled:success']));
  });

  it('a member on a verified domain signs in through SSO into their own account', async () => {
    const org = await samlOrg();
    const member = await memberOn(t, org.admin, org.domain);
    const browser = new TestClient(t.app);
    const done = await postAcs(browser, org.acs, await org.idp.respond(org.sp, { email: member.email }, null));
    expect(done.headers.location).toBe('/');
    expect((await browser.get('/api/v1/me')).body.account.id).toBe(member.accountId);
  });

  it('ends the sessions of a user the IdP deprovisions at once, and refuses their next SSO sign-in', async () => {
    const org = await samlOrg();
    const email = `leaver@${org.domain}`;
    const browser = new TestClient(t.app);
    await postAcs(browser, org.acs, await org.idp.respond(org.sp, { email }, null));
    expect((await browser.get('/api/v1/me')).status).toBe(200);
    const managed = await t.identity.managedAccounts.findByEmail(org.admin.orgId, email);
    await t.identity.managedAccounts.update(org.admin.orgId, managed!.id, { active: false }, { accountId: null, kind: 'scim' });
    expect((await browser.get('/api/v1/me')).status).toBe(401);
    const again = await postAcs(new TestClient(t.app), org.acs, await org.idp.respond(org.sp, { email }, null));
    expect(again.headers.location).toBe('/signin?ssoError=sso.account_inactive');

    // endSessions: every session of the account, at once.
    const member = await memberOn(t, org.admin, org.domain);
    expect(await t.identity.externalSignIn.endSessions(member.accountId)).toBe(1);
    expect((await member.client.get('/api/v1/me')).status).toBe(401);
  });
});
