import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/client';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from '../domains/dns-test-server';
import { b64, craftResponseXml, createSamlifyIdp, generateIdpKeys, unb64, xmlsecSign, type CraftOptions } from './saml-test-idp';
import { orgWithDomain, pathOf, postAcs } from './sso-test-support';

/**
 * W6.7/W13.1: the SAML attack suite. Every hostile response is refused (no session), and the refusal
 * is audited in the org's log with its reason. Hostile responses are built by hand and signed with
 * xmlsec1, or derived from genuine signed ones.
 */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
beforeAll(async () => {
  try {
    execFileSync('xmlsec1', ['--version']);
  } catch {
    throw new Error('xmlsec1 is required by the SAML tests: apt-get install -y xmlsec1');
  }
  dns = await startTestDnsServer();
  t = await buildTestApp({ config: { dnsServers: dns.address, outboundPrivateTargets: 'on' } });
});
afterAll(async () => {
  await t?.close();
  await dns?.close();
});

async function samlOrg() {
  const { admin, domain } = await orgWithDomain(t, dns);
  const issuer = `https://idp.${domain}/saml`;
  const idp = await createSamlifyIdp(issuer, 'http://127.0.0.1:4000/sso');
  const created = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/sso/connections`, { protocol: 'saml', name: 'Corp', metadataXml: idp.metadata, jit: true });
  expect(created.status).toBe(201);
  const sp = { entityId: created.body.saml.spEntityId as string, acsUrl: created.body.saml.acsUrl as string };
  // The victim exists: a forged or truncated identity would land in a real account.
  const victim = await t.identity.managedAccounts.create(admin.orgId, { email: `victim@${domain}`, name: 'Victim', role: 'admin' }, { accountId: admin.accountId, kind: 'account' });
  return { admin, domain, issuer, idp, sp, acs: pathOf(sp.acsUrl), victim, connId: created.body.id as string };
}

let org: Awaited<ReturnType<typeof samlOrg>>;
let other: Awaited<ReturnType<typeof samlOrg>>;
beforeAll(async () => {
  org = await samlOrg();
  other = await samlOrg();
});

const craft = (overrides: Partial<CraftOptions> = {}) =>
  craftResponseXml({ issuer: org.issuer, sp: org.sp, user: { email: `attacker@${org.domain}` }, ...overrides });
const signed = (overrides: Partial<CraftOptions> = {}) => xmlsecSign(craft(overrides).xml, org.idp.keys);

/** Posts the response and checks: refused with `code` (when given), no session, audited with the reason. */
async function expectRefused(xml: string, code?: RegExp) {
  const browser = new TestClient(t.app);
  const response = await postAcs(browser, org.acs, b64(xml));
  expect(response.status).toBe(303);
  const location = String(response.headers.location);
  expect(location).toMatch(/^\/signin\?ssoError=sso\./);
  const reason = decodeURIComponent(location.split('ssoError=')[1]!);
  if (code) expect(reason).toMatch(code);
  expect(browser.cookie('toride_session')).toBeUndefined();
  expect((await browser.get('/api/v1/me')).status).toBe(401);
  const events = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'auth.sign_in', limit: 500 });
  expect(events.some((e) => e.outcome === 'failure' && e.details?.reason === reason && e.target?.id === org.connId)).toBe(true);
  return reason;
}

const victimAssertion = (xml: string, newId: string) =>
  xml
    .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
    .replace(/ID="_[0-9a-f]+"/, `ID="${newId}"`)
    .replaceAll(`attacker@${org.domain}`, `victim@${org.domain}`);
const assertionOf = (xml: string) => /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];

describe('SAML attack suite (rejected and audited)', () => {
  it('control: the genuine signed response is accepted', async () => {
    const browser = new TestClient(t.app);
    const response = await postAcs(browser, org.acs, b64(signed()));
    expect(response.headers.location).toBe('/');
  });

  it('an unsigned assertion', async () => {
    await expectRefused(craft({ sign: 'none' }).xml, /signature/);
  });

  it('a response signed by a key the IdP metadata does not list', async () => {
    const rogue = await generateIdpKeys('rogue');
    await expectRefused(xmlsecSign(craft().xml, rogue), /signature/);
  });

  it('XSW: an unsigned victim assertion placed before the signed one', async () => {
    const xml = signed();
    const genuine = assertionOf(xml);
    await expectRefused(xml.replace(genuine, victimAssertion(genuine, '_evil1') + genuine));
  });

  it('XSW: an unsigned victim assertion placed after the signed one', async () => {
    const xml = signed();
    const genuine = assertionOf(xml);
    await expectRefused(xml.replace(genuine, genuine + victimAssertion(genuine, '_evil2')));
  });

  it('XSW: the signed assertion wrapped inside a victim assertion (Advice)', async () => {
    const xml = signed();
    const genuine = assertionOf(xml);
    const evil = victimAssertion(genuine, '_evil3').replace('</saml:Issuer>', `</saml:Issuer><saml:Advice>${genuine}</saml:Advice>`);
    await expectRefused(xml.replace(genuine, evil));
  });

  it('XSW: a victim assertion with the signed one\'s ID, the original hidden in the Signature Object', async () => {
    const xml = signed();
    const genuine = assertionOf(xml);
    const id = /ID="(_[0-9a-f]+)"/.exec(genuine)![1]!;
    const signature = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(genuine)![0];
    const evil = victimAssertion(genuine, id).replace('</saml:Issuer>', `</saml:Issuer>${signature.replace('</ds:Signature>', `<ds:Object>${genuine}</ds:Object></ds:Signature>`)}`);
    await expectRefused(xml.replace(genuine, evil));
  });

  it('XSW: a signed Response nested in a new Response carrying a victim assertion', async () => {
    const xml = signed({ sign: 'response' });
    const genuine = assertionOf(xml);
    const outer = xml
      .replace(/^<samlp:Response([^>]*)ID="_[0-9a-f]+"/, '<samlp:Response$1ID="_outer"')
      .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
      .replace(genuine, victimAssertion(genuine, '_evil5'))
      .replace('</samlp:Response>', `<samlp:Extensions>${xml}</samlp:Extensions></samlp:Response>`);
    await expectRefused(outer);
  });

  it('a wrong audience', async () => {
    await expectRefused(signed({ audience: 'https://other-sp.example/metadata' }), /audience/);
  });

  it('an expired assertion, and one not yet valid beyond the allowed skew', async () => {
    const now = Date.now();
    await expectRefused(signed({ notBefore: new Date(now - 30 * 60_000), notOnOrAfter: new Date(now - 10 * 60_000) }), /expired/);
    await expectRefused(signed({ notBefore: new Date(now + 10 * 60_000), notOnOrAfter: new Date(now + 20 * 60_000) }), /expired/);
  });

  it('accepts an assertion that expired a minute ago (within the bounded skew)', async () => {
    const now = Date.now();
    const response = await postAcs(new TestClient(t.app), org.acs, b64(signed({ notBefore: new Date(now - 10 * 60_000), notOnOrAfter: new Date(now - 60_000) })));
    expect(response.headers.location).toBe('/');
  });

  it('a replayed assertion', async () => {
    const xml = signed();
    expect((await postAcs(new TestClient(t.app), org.acs, b64(xml))).headers.location).toBe('/');
    await expectRefused(xml, /replayed/);
  });

  it('a response to a request Toride never made, and a second answer to a used request', async () => {
    await expectRefused(signed({ requestId: '_never-issued' }), /in_response_to/);
    const browser = new TestClient(t.app);
    const started = await browser.get(`/sso/saml/${org.connId}/login`);
    const { requestIdOf } = await import('./saml-test-idp');
    const requestId = requestIdOf(String(started.headers.location));
    expect((await postAcs(browser, org.acs, b64(signed({ requestId })))).headers.location).toBe('/');
    await expectRefused(signed({ requestId }), /in_response_to/);
  });

  it('an attribute altered after signing', async () => {
    const xml = signed();
    const altered = xml.replace(`<saml:AttributeValue xsi:type="xs:string">attacker@${org.domain}</saml:AttributeValue>`, `<saml:AttributeValue xsi:type="xs:string">victim@${org.domain}</saml:AttributeValue>`);
    expect(altered).not.toBe(xml);
    await expectRefused(altered, /signature/);
  });

  it('comment injection in NameID never signs in the victim', async () => {
    const xml = signed({ omitAttributes: true, user: { email: 'ignored@x.test' }, nameIdXml: `victim@${org.domain}<!---->.evil.example` });
    expect(xml).toContain('<!---->');
    const reason = await expectRefused(xml);
    expect(reason).not.toBe('sso.saml_signature');
    const sessions = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'auth.sign_in', limit: 500 });
    expect(sessions.some((e) => e.outcome === 'success' && e.actor.id === org.victim.id)).toBe(false);
  });

  it('a wrong recipient or destination', async () => {
    await expectRefused(signed({ recipient: 'https://evil.example/acs' }), /recipient|expired|invalid/);
    await expectRefused(signed({ destination: 'https://evil.example/acs' }), /destination/);
  });

  it('a response for another org\'s SP (its IdP, its audience) posted to this org\'s ACS', async () => {
    const forOther = xmlsecSign(craftResponseXml({ issuer: other.issuer, sp: other.sp, user: { email: `victim@${org.domain}` } }).xml, other.idp.keys);
    await expectRefused(forOther);
    const genuineOther = await other.idp.respond(other.sp, { email: `victim@${org.domain}` }, null);
    await expectRefused(unb64(genuineOther));
  });

  it('a response from the right key but another issuer', async () => {
    await expectRefused(signed({ issuer: 'https://impostor.example/idp' }), /issuer|invalid/);
  });
});
