import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/client';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from '../domains/dns-test-server';
import { createSloIdp } from './saml-slo-test-idp';
import { b64, requestIdOf, unb64 } from './saml-test-idp';
import { orgWithDomain, pathOf, postAcs } from './sso-test-support';

/**
 * Issue 13 §3 (W6.7, W13.1): a solicited assertion never passes as unsolicited. samlify signs the
 * Response and the Assertion; removing InResponseTo from the Response breaks only the outer signature,
 * the signed assertion still names the request in SubjectConfirmationData/@InResponseTo.
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

async function org() {
  const { admin, domain } = await orgWithDomain(t, dns);
  const idp = await createSloIdp(`https://idp.${domain}/saml`, 'http://127.0.0.1:4000');
  const created = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/sso/connections`, {
    protocol: 'saml',
    name: 'Corp IdP',
    metadataXml: idp.metadata,
    jit: true,
    // The attack needs IdP-initiated sign-in to be on: that is where an "unsolicited" response is accepted.
    allowIdpInitiated: true,
  });
  expect(created.status).toBe(201);
  const conn = created.body as { id: string; saml: { spEntityId: string; acsUrl: string } };
  const spMetadata = (await new TestClient(t.app).get(`/sso/saml/${conn.id}/metadata`)).body as string;
  return { admin, domain, idp, conn, spMetadata, sp: { entityId: conn.saml.spEntityId, acsUrl: conn.saml.acsUrl }, acs: pathOf(conn.saml.acsUrl) };
}

const startLogin = async (browser: TestClient, connId: string) => requestIdOf(String((await browser.get(`/sso/saml/${connId}/login`)).headers.location));

/** Rewrites only the Response element's own InResponseTo (the first one in the document). */
const withOuterInResponseTo = (response: string, value: string | null) =>
  b64(unb64(response).replace(/(<samlp:Response\b[^>]*?) InResponseTo="[^"]*"/, (_all, head: string) => (value ? `${head} InResponseTo="${value}"` : head)));

const failures = async (orgId: string) =>
  (await t.kernel.audit.list({ orgId, action: 'auth.sign_in', limit: 100 })).filter((e) => e.outcome === 'failure').map((e) => e.details?.reason);

describe('SubjectConfirmationData/@InResponseTo', () => {
  it('refuses a solicited response whose outer InResponseTo was stripped, even with IdP-initiated sign-in on, and audits it', async () => {
    const o = await org();
    const browser = new TestClient(t.app);
    const requestId = await startLogin(browser, o.conn.id);
    const genuine = await o.idp.respond(o.sp, o.spMetadata, { email: `victim@${o.domain}` }, requestId, '_s1');
    const stripped = withOuterInResponseTo(genuine, null);
    expect(unb64(stripped)).not.toMatch(/<samlp:Response\b[^>]*InResponseTo=/);
    expect(unb64(stripped)).toContain(`InResponseTo="${requestId}"`); // still in the signed assertion

    const refused = await postAcs(new TestClient(t.app), o.acs, stripped);
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe('/signin?ssoError=sso.saml_in_response_to');
    expect(await failures(o.admin.orgId)).toEqual(['sso.saml_in_response_to']);
    expect(await t.identity.managedAccounts.findByEmail(o.admin.orgId, `victim@${o.domain}`)).toBeNull();

    // The untouched response still signs in: the refusal was about the stripped attribute alone.
    const accepted = await postAcs(browser, o.acs, genuine);
    expect(accepted.headers.location).toBe('/');
  });

  it('refuses an assertion answering one request inside a response that claims another pending request', async () => {
    const o = await org();
    const browser = new TestClient(t.app);
    const first = await startLogin(browser, o.conn.id);
    const second = await startLogin(new TestClient(t.app), o.conn.id);
    const forFirst = await o.idp.respond(o.sp, o.spMetadata, { email: `swap@${o.domain}` }, first, '_s2');
    const refused = await postAcs(browser, o.acs, withOuterInResponseTo(forFirst, second));
    expect(refused.headers.location).toBe('/signin?ssoError=sso.saml_in_response_to');
  });

  it('still accepts a genuinely unsolicited (IdP-initiated) response when the connection allows it', async () => {
    const o = await org();
    const browser = new TestClient(t.app);
    const done = await postAcs(browser, o.acs, await o.idp.respond(o.sp, o.spMetadata, { email: `idp-init@${o.domain}` }, null, '_s3'));
    expect(done.headers.location).toBe('/');
    expect((await browser.get('/api/v1/me')).body.account.email).toBe(`idp-init@${o.domain}`);
  });
});
