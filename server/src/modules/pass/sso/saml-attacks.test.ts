import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestClock, MINUTE, SECOND } from '../../../kernel/clock';
import { TestClient } from '../../../test/client';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from '../domains/dns-test-server';
import { fixtureSamlOrg, pinRequestId, type FixtureSamlOrg } from './saml-fixture-support';
import { FIXTURE_ISSUED_AT, FIXTURE_REQUEST_IDS, fixtureXml, type FixtureName } from './saml-fixtures';
import { b64, craftResponseXml, requestIdOf, unb64 } from './saml-test-idp';
import { postAcs } from './sso-test-support';

/**
 * W6.7/W13.1: the SAML attack suite. Every hostile response is refused (no session), and the refusal
 * is audited in the org's log with its reason. Hostile responses were built by hand and signed once
 * with xmlsec1 (committed fixtures, `npm run fixtures:saml`), or are derived here from genuine signed
 * ones. The kernel clock stands at the fixtures' issue time, so their time windows bite as they would
 * on the day they were signed. Each test consumes its own fixture: a replay-cache refusal must never
 * stand in for the refusal under test.
 */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
let org: FixtureSamlOrg & { victim: { id: string } };
let other: FixtureSamlOrg;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await buildTestApp({ clock: createTestClock(FIXTURE_ISSUED_AT), config: { dnsServers: dns.address, outboundPrivateTargets: 'on' } });
  const attacks = await fixtureSamlOrg(t, dns, 'attacks');
  // The victim exists: a forged or truncated identity would land in a real account.
  const victim = await t.identity.managedAccounts.create(attacks.admin.orgId, { email: `victim@${attacks.domain}`, name: 'Victim', role: 'admin' }, { accountId: attacks.admin.accountId, kind: 'account' });
  org = { ...attacks, victim };
  other = await fixtureSamlOrg(t, dns, 'attacksOther');
});
beforeEach(() => t.clock.set(FIXTURE_ISSUED_AT));
afterAll(async () => {
  await t?.close();
  await dns?.close();
});

/** A committed response signed by xmlsec1 (the org's IdP key unless the fixture says otherwise). */
const signed = (name: FixtureName) => fixtureXml(name);

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
    const response = await postAcs(browser, org.acs, b64(signed('attack-control')));
    expect(response.headers.location).toBe('/');
    expect((await browser.get('/api/v1/me')).body.account.email).toBe(`attacker@${org.domain}`);
  });

  it('a genuine response posted after its window (on the injectable clock) is refused, and accepted inside it', async () => {
    // NotOnOrAfter is five minutes after issue; node-saml allows three minutes of skew.
    t.clock.set(new Date(FIXTURE_ISSUED_AT.getTime() + 8 * MINUTE));
    await expectRefused(signed('attack-window'), /expired/);
    t.clock.set(new Date(FIXTURE_ISSUED_AT.getTime() + 8 * MINUTE - SECOND));
    expect((await postAcs(new TestClient(t.app), org.acs, b64(signed('attack-window')))).headers.location).toBe('/');
  });

  it('an unsigned assertion', async () => {
    const unsigned = craftResponseXml({ issuedAt: t.clock.now(), issuer: org.issuer, sp: org.sp, user: { email: `attacker@${org.domain}` }, sign: 'none' }).xml;
    await expectRefused(unsigned, /signature/);
  });

  it('a response signed by a key the IdP metadata does not list', async () => {
    await expectRefused(signed('attack-rogue-key'), /signature/);
  });

  it('XSW: an unsigned victim assertion placed before the signed one', async () => {
    const xml = signed('attack-xsw-before');
    const genuine = assertionOf(xml);
    await expectRefused(xml.replace(genuine, victimAssertion(genuine, '_evil1') + genuine));
  });

  it('XSW: an unsigned victim assertion placed after the signed one', async () => {
    const xml = signed('attack-xsw-after');
    const genuine = assertionOf(xml);
    await expectRefused(xml.replace(genuine, genuine + victimAssertion(genuine, '_evil2')));
  });

  it('XSW: the signed assertion wrapped inside a victim assertion (Advice)', async () => {
    const xml = signed('attack-xsw-advice');
    const genuine = assertionOf(xml);
    const evil = victimAssertion(genuine, '_evil3').replace('</saml:Issuer>', `</saml:Issuer><saml:Advice>${genuine}</saml:Advice>`);
    await expectRefused(xml.replace(genuine, evil));
  });

  it('XSW: a victim assertion with the signed one\'s ID, the original hidden in the Signature Object', async () => {
    const xml = signed('attack-xsw-object');
    const genuine = assertionOf(xml);
    const id = /ID="(_[0-9a-f]+)"/.exec(genuine)![1]!;
    const signature = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(genuine)![0];
    const evil = victimAssertion(genuine, id).replace('</saml:Issuer>', `</saml:Issuer>${signature.replace('</ds:Signature>', `<ds:Object>${genuine}</ds:Object></ds:Signature>`)}`);
    await expectRefused(xml.replace(genuine, evil));
  });

  it('XSW: a signed Response nested in a new Response carrying a victim assertion', async () => {
    const xml = signed('attack-xsw-nested-response');
    const genuine = assertionOf(xml);
    const outer = xml
      .replace(/^<samlp:Response([^>]*)ID="_[0-9a-f]+"/, '<samlp:Response$1ID="_outer"')
      .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
      .replace(genuine, victimAssertion(genuine, '_evil5'))
      .replace('</samlp:Response>', `<samlp:Extensions>${xml}</samlp:Extensions></samlp:Response>`);
    await expectRefused(outer);
  });

  it('a wrong audience', async () => {
    await expectRefused(signed('attack-wrong-audience'), /audience/);
  });

  it('an expired assertion, and one not yet valid beyond the allowed skew', async () => {
    // Windows relative to the issue time: 30 to 10 minutes before it, and 10 to 20 minutes after it.
    await expectRefused(signed('attack-expired'), /expired/);
    await expectRefused(signed('attack-not-yet-valid'), /expired/);
  });

  it('accepts an assertion that expired a minute ago (within the bounded skew)', async () => {
    const response = await postAcs(new TestClient(t.app), org.acs, b64(signed('attack-within-skew')));
    expect(response.headers.location).toBe('/');
  });

  it('a replayed assertion', async () => {
    const xml = signed('attack-replay');
    expect((await postAcs(new TestClient(t.app), org.acs, b64(xml))).headers.location).toBe('/');
    await expectRefused(xml, /replayed/);
  });

  it('a response to a request Toride never made, and a second answer to a used request', async () => {
    await expectRefused(signed('attack-never-issued-request'), /in_response_to/);
    const browser = new TestClient(t.app);
    const started = await browser.get(`/sso/saml/${org.connId}/login`);
    await pinRequestId(t, requestIdOf(String(started.headers.location)), FIXTURE_REQUEST_IDS.attacksLogin);
    expect((await postAcs(browser, org.acs, b64(signed('attack-request-answer')))).headers.location).toBe('/');
    await expectRefused(signed('attack-request-second-answer'), /in_response_to/);
  });

  it('an attribute altered after signing', async () => {
    const xml = signed('attack-altered-attribute');
    const altered = xml.replace(`<saml:AttributeValue xsi:type="xs:string">attacker@${org.domain}</saml:AttributeValue>`, `<saml:AttributeValue xsi:type="xs:string">victim@${org.domain}</saml:AttributeValue>`);
    expect(altered).not.toBe(xml);
    await expectRefused(altered, /signature/);
  });

  it('comment injection in NameID never signs in the victim', async () => {
    const xml = signed('attack-comment-injection');
    expect(xml).toContain('<!---->');
    const reason = await expectRefused(xml);
    expect(reason).not.toBe('sso.saml_signature');
    const sessions = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'auth.sign_in', limit: 500 });
    expect(sessions.some((e) => e.outcome === 'success' && e.actor.id === org.victim.id)).toBe(false);
  });

  it('a wrong recipient or destination', async () => {
    await expectRefused(signed('attack-wrong-recipient'), /recipient|expired|invalid/);
    await expectRefused(signed('attack-wrong-destination'), /destination/);
  });

  it('a response for another org\'s SP (its IdP, its audience) posted to this org\'s ACS', async () => {
    await expectRefused(signed('attack-for-other-org'));
    const genuineOther = await other.idp.respond(other.sp, { email: `victim@${org.domain}` }, null);
    await expectRefused(unb64(genuineOther));
  });

  it('a response from the right key but another issuer', async () => {
    await expectRefused(signed('attack-wrong-issuer'), /issuer|invalid/);
  });
});
