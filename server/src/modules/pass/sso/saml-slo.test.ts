import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/client';
import { signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from '../domains/dns-test-server';
import { createSloIdp } from './saml-slo-test-idp';
import { requestIdOf } from './saml-test-idp';
import { form, orgWithDomain, pathOf, postAcs } from './sso-test-support';

/**
 * Issue 13 §2 (W6.7, W8.3): SAML single logout against samlify as the IdP, both directions, both
 * bindings. The IdP verifies Toride's signed LogoutRequest/LogoutResponse against the SP metadata
 * Toride serves; Toride verifies the IdP's. A logout ends the sessions of that SSO sign-in only.
 */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await buildTestApp({ config: { dnsServers: dns.address, outboundPrivateTargets: 'on' } });
});
// samlify stamps its messages with the system clock; the SP judges them on the kernel's clock.
beforeEach(() => t.clock.set(new Date()));
afterAll(async () => {
  await t?.close();
  await dns?.close();
});

const IDP = 'http://127.0.0.1:4000';
let sessionCounter = 0;

async function sloOrg(options: { sloEnabled?: boolean } = {}) {
  const { admin, domain } = await orgWithDomain(t, dns);
  const idp = await createSloIdp(`https://idp.${domain}/saml`, IDP);
  const created = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/sso/connections`, {
    protocol: 'saml',
    name: 'Corp IdP',
    metadataXml: idp.metadata,
    jit: true,
    sloEnabled: options.sloEnabled ?? true,
  });
  expect(created.status).toBe(201);
  const conn = created.body as { id: string; saml: { spEntityId: string; acsUrl: string; sloUrl: string } };
  const spMetadata = (await new TestClient(t.app).get(`/sso/saml/${conn.id}/metadata`)).body as string;
  return { admin, domain, idp, conn, spMetadata, sp: { entityId: conn.saml.spEntityId, acsUrl: conn.saml.acsUrl }, slo: pathOf(conn.saml.sloUrl) };
}

type Org = Awaited<ReturnType<typeof sloOrg>>;

/** A full SP-initiated sign-in in a fresh browser; returns the browser and the IdP session index. */
async function signIn(org: Org, email: string) {
  const browser = new TestClient(t.app);
  const started = await browser.get(`/sso/saml/${org.conn.id}/login`);
  expect(started.status).toBe(302);
  const sessionIndex = `_idp-session-${++sessionCounter}`;
  const response = await org.idp.respond(org.sp, org.spMetadata, { email, name: 'Slo User' }, requestIdOf(String(started.headers.location)), sessionIndex);
  const done = await postAcs(browser, pathOf(org.sp.acsUrl), response);
  expect(done.status).toBe(303);
  expect(done.headers.location).toBe('/');
  expect((await browser.get('/api/v1/me')).status).toBe(200);
  return { browser, sessionIndex };
}

const signOuts = async (orgId: string) => t.kernel.audit.list({ orgId, action: 'auth.sign_out', limit: 100 });

describe('SP metadata', () => {
  it('advertises the SLO endpoint with both bindings and the SP signing certificate only while single logout is on', async () => {
    const on = await sloOrg();
    expect(on.spMetadata).toContain(`<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${on.conn.saml.sloUrl}"/>`);
    expect(on.spMetadata).toContain(`<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${on.conn.saml.sloUrl}"/>`);
    expect(on.spMetadata).toMatch(/<KeyDescriptor use="signing">[\s\S]*<ds:X509Certificate>[A-Za-z0-9+/=\s]{200,}<\/ds:X509Certificate>/);
    const off = await sloOrg({ sloEnabled: false });
    expect(off.spMetadata).not.toContain('SingleLogoutService');
    // The SLO endpoint of a connection without single logout refuses and says why.
    // samlify will not address an SP without SLO, so the request is built for `on` and sent to `off`.
    const request = off.idp.logoutRequest(on.spMetadata, 'redirect', `nobody@${off.domain}`);
    const refused = await new TestClient(t.app).get(`${off.slo}${new URL(request.context).search}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('sso.slo_disabled');
  });
});

describe('SP-initiated single logout', () => {
  it('Redirect binding: signed LogoutRequest the IdP verifies, local session ended, signed LogoutResponse accepted once', async () => {
    const org = await sloOrg();
    const email = `sp-slo@${org.domain}`;
    const { browser, sessionIndex } = await signIn(org, email);
    const other = await signIn(org, email);

    const started = await browser.post('/api/v1/sso/logout');
    expect(started.status).toBe(200);
    const url = started.body.redirectUrl as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4000\/slo\?SAMLRequest=.*&SigAlg=.*&Signature=/);
    expect((await browser.get('/api/v1/me')).status).toBe(401);
    expect((await other.browser.get('/api/v1/me')).status).toBe(200);

    // samlify checks Toride's signature with the certificate from Toride's SP metadata.
    const parsed = await org.idp.parseLogoutRequest(org.spMetadata, url);
    expect(parsed.extract.nameID).toBe(email);
    expect(parsed.extract.sessionIndex).toBe(sessionIndex);
    const answer = org.idp.logoutResponse(org.spMetadata, parsed, 'redirect');
    const done = await browser.get(pathOf(answer.context));
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/signin?signedOut=sso');
    const replay = await browser.get(pathOf(answer.context));
    expect(replay.headers.location).toBe('/signin?ssoError=sso.slo_in_response_to');

    const events = await signOuts(org.admin.orgId);
    expect(events.filter((e) => e.outcome === 'success').map((e) => e.details?.slo)).toEqual(expect.arrayContaining(['sp_initiated', 'sp_initiated_completed']));
    expect(events.some((e) => e.outcome === 'failure' && e.details?.reason === 'sso.slo_in_response_to')).toBe(true);
  });

  it('POST binding: the IdP answers with a signed LogoutResponse form post', async () => {
    const org = await sloOrg();
    const { browser } = await signIn(org, `sp-slo-post@${org.domain}`);
    const url = (await browser.post('/api/v1/sso/logout')).body.redirectUrl as string;
    const parsed = await org.idp.parseLogoutRequest(org.spMetadata, url);
    const answer = org.idp.logoutResponse(org.spMetadata, parsed, 'post');
    const done = await browser.request('POST', org.slo, `SAMLResponse=${encodeURIComponent(answer.context)}`, form);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/signin?signedOut=sso');
  });

  it('refuses a LogoutResponse that is not signed, and one that answers nothing', async () => {
    const org = await sloOrg();
    const { browser } = await signIn(org, `sp-slo-unsigned@${org.domain}`);
    const url = (await browser.post('/api/v1/sso/logout')).body.redirectUrl as string;
    const parsed = await org.idp.parseLogoutRequest(org.spMetadata, url);
    const answer = org.idp.logoutResponse(org.spMetadata, parsed, 'redirect');
    const unsigned = new URL(answer.context);
    unsigned.searchParams.delete('Signature');
    expect((await browser.get(pathOf(unsigned.toString()))).headers.location).toBe('/signin?ssoError=sso.slo_signature');
    const stray = org.idp.logoutResponse(org.spMetadata, { extract: { request: { id: '_never-sent' } } }, 'redirect');
    expect((await browser.get(pathOf(stray.context))).headers.location).toBe('/signin?ssoError=sso.slo_in_response_to');
    // The genuine answer still works: the refused ones did not use up the pending request.
    expect((await browser.get(pathOf(answer.context))).headers.location).toBe('/signin?signedOut=sso');
  });

  it('answers redirectUrl null for a password session (the web app then signs out locally) and 401 without one', async () => {
    const user = await signUpUser(t);
    const answer = await user.client.post('/api/v1/sso/logout');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ redirectUrl: null });
    expect((await user.client.get('/api/v1/me')).status).toBe(200);
    expect((await new TestClient(t.app).post('/api/v1/sso/logout')).status).toBe(401);
  });
});

describe('IdP-initiated single logout', () => {
  it('Redirect binding: ends only the session of that IdP session index and answers a signed LogoutResponse', async () => {
    const org = await sloOrg();
    const email = `idp-slo@${org.domain}`;
    const first = await signIn(org, email);
    const second = await signIn(org, email);
    const bystander = await signIn(org, `bystander@${org.domain}`);

    const request = org.idp.logoutRequest(org.spMetadata, 'redirect', email, first.sessionIndex, { relayState: 'back-to-idp' });
    const answered = await first.browser.get(pathOf(request.context));
    expect(answered.status).toBe(302);
    const responseUrl = String(answered.headers.location);
    expect(responseUrl).toMatch(/^http:\/\/127\.0\.0\.1:4000\/slo\?SAMLResponse=/);
    expect(new URL(responseUrl).searchParams.get('RelayState')).toBe('back-to-idp');
    const verified = await org.idp.parseLogoutResponse(org.spMetadata, responseUrl);
    expect(verified.extract.response?.inResponseTo).toBe(request.id);

    expect((await first.browser.get('/api/v1/me')).status).toBe(401);
    expect((await second.browser.get('/api/v1/me')).status).toBe(200);
    expect((await bystander.browser.get('/api/v1/me')).status).toBe(200);
    const [event] = (await signOuts(org.admin.orgId)).filter((e) => e.details?.slo === 'idp_initiated');
    expect(event).toMatchObject({ outcome: 'success', details: expect.objectContaining({ binding: 'redirect', sessionsEnded: 1 }) });

    // The same LogoutRequest again is a replay.
    const replay = await first.browser.get(pathOf(request.context));
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('sso.slo_replayed');
  });

  it('POST binding: without a session index, every session of that subject ends', async () => {
    const org = await sloOrg();
    const email = `idp-slo-post@${org.domain}`;
    const first = await signIn(org, email);
    const second = await signIn(org, email);
    const request = org.idp.logoutRequest(org.spMetadata, 'post', email);
    const answered = await new TestClient(t.app).request('POST', org.slo, `SAMLRequest=${encodeURIComponent(request.context)}`, form);
    expect(answered.status).toBe(302);
    await org.idp.parseLogoutResponse(org.spMetadata, String(answered.headers.location));
    expect((await first.browser.get('/api/v1/me')).status).toBe(401);
    expect((await second.browser.get('/api/v1/me')).status).toBe(401);
    const [event] = (await signOuts(org.admin.orgId)).filter((e) => e.details?.slo === 'idp_initiated');
    expect(event?.details).toMatchObject({ binding: 'post', sessionsEnded: 2 });
  });

  it('refuses unsigned, foreign-signed and tampered LogoutRequests, audited, and ends nothing', async () => {
    const org = await sloOrg();
    const email = `idp-slo-forged@${org.domain}`;
    const { browser, sessionIndex } = await signIn(org, email);

    const unsigned = org.idp.logoutRequest(org.spMetadata, 'redirect', email, sessionIndex, { signed: false });
    const r1 = await browser.get(pathOf(unsigned.context));
    expect(r1.status).toBe(400);
    expect(r1.body.error.code).toBe('sso.slo_signature');

    // Another IdP (its own key) claiming this IdP's entity id.
    const impostor = await createSloIdp(`https://idp.${org.domain}/saml`, IDP);
    const foreignPost = impostor.logoutRequest(org.spMetadata, 'post', email, sessionIndex);
    const r2 = await browser.request('POST', org.slo, `SAMLRequest=${encodeURIComponent(foreignPost.context)}`, form);
    expect(r2.status).toBe(400);
    expect(r2.body.error.code).toBe('sso.slo_signature');
    const foreignRedirect = impostor.logoutRequest(org.spMetadata, 'redirect', email, sessionIndex);
    expect((await browser.get(pathOf(foreignRedirect.context))).body.error.code).toBe('sso.slo_signature');

    // A genuine signed Redirect request with a smuggled extra parameter is refused before any signature check.
    const smuggled = org.idp.logoutRequest(org.spMetadata, 'redirect', `someone-else@${org.domain}`, sessionIndex);
    const r4 = await browser.get(`${pathOf(smuggled.context)}&xSAMLRequest=1`);
    expect(r4.status).toBe(400);
    expect(r4.body.error.code).toBe('sso.slo_invalid');

    // A genuine signed POST request whose NameID was changed after signing.
    const genuine = org.idp.logoutRequest(org.spMetadata, 'post', `someone-else@${org.domain}`, sessionIndex);
    const tampered = Buffer.from(Buffer.from(genuine.context, 'base64').toString('utf8').replace(`someone-else@${org.domain}`, email)).toString('base64');
    const r3 = await browser.request('POST', org.slo, `SAMLRequest=${encodeURIComponent(tampered)}`, form);
    expect(r3.status).toBe(400);
    expect(r3.body.error.code).toBe('sso.slo_signature');

    // A deflate bomb (a few KB expanding to 10 MB) is refused without being expanded.
    const padding = ' '.repeat(10 * 1024 * 1024);
    const bomb = zlib.deflateRawSync(`<LogoutRequest xmlns="urn:oasis:names:tc:SAML:2.0:protocol">${padding}</LogoutRequest>`).toString('base64');
    const r5 = await browser.get(`${org.slo}?SAMLRequest=${encodeURIComponent(bomb)}&SigAlg=${encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')}&Signature=AAAA`);
    expect(r5.status).toBe(400);
    expect(r5.body.error.code).toBe('sso.slo_invalid');

    expect((await browser.get('/api/v1/me')).status).toBe(200);
    const failures = (await signOuts(org.admin.orgId)).filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => e.details?.reason).sort()).toEqual(['sso.slo_invalid', 'sso.slo_invalid', 'sso.slo_signature', 'sso.slo_signature', 'sso.slo_signature', 'sso.slo_signature']);
  });
});
