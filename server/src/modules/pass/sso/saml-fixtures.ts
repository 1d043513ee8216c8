import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { craftResponseXml, type CraftOptions, type IdpKeys, type SpFacts } from './saml-test-idp';

/**
 * The SAML responses signed once by Debian's xmlsec1 — the IdP-side signer independent of node-saml's
 * XML stack — and committed under fixtures/saml/ with throwaway TEST-ONLY key pairs (issue 10). One
 * source for both sides: `npm run fixtures:saml` (scripts/saml-fixtures.ts) crafts and signs what is
 * listed here; saml.test.ts and saml-attacks.test.ts replay the files with the kernel's test clock set
 * to FIXTURE_ISSUED_AT, so `npm test` needs no xmlsec1 and every time window still bites.
 *
 * Everything a signature covers is fixed: the IdP issuer (from the org's domain), the SP entity id and
 * ACS URL (from the public URL and the connection id), the request ids answered, the times and the
 * response/assertion IDs (derived from the fixture's name). RSA-SHA256 (PKCS#1 v1.5) signatures are
 * deterministic, so regenerating yields the same files; `.ci/run` checks that.
 */
export const SAML_FIXTURES_DIR = fileURLToPath(new URL('./fixtures/saml/', import.meta.url));
export const FIXTURE_ISSUED_AT = new Date('2026-11-25T09:00:00.000Z');
/** The test harness's publicUrl, which the SP entity id and ACS URL derive from. */
export const FIXTURE_PUBLIC_URL = 'http://127.0.0.1:3000';

/** Who signed: the org's IdP, the other org's IdP, or a key no metadata lists. */
export type FixtureSigner = 'idp' | 'other-idp' | 'rogue';
export const FIXTURE_SIGNERS: readonly FixtureSigner[] = ['idp', 'other-idp', 'rogue'];

export interface FixtureOrg {
  domain: string;
  /** The SSO connection's id; a test gives the connection it created this id (pinConnectionId). */
  connectionId: string;
  /** The key in the IdP metadata the connection imports. */
  signer: FixtureSigner;
}

export const fixtureOrgs = {
  testRun: { domain: 'test-run.fixture.example.test', connectionId: '019ab000-0000-7000-8000-00000000f001', signer: 'idp' },
  xmlsec: { domain: 'xmlsec.fixture.example.test', connectionId: '019ab000-0000-7000-8000-00000000f002', signer: 'idp' },
  attacks: { domain: 'attacks.fixture.example.test', connectionId: '019ab000-0000-7000-8000-00000000f003', signer: 'idp' },
  attacksOther: { domain: 'other.fixture.example.test', connectionId: '019ab000-0000-7000-8000-00000000f004', signer: 'other-idp' },
} as const satisfies Record<string, FixtureOrg>;
export type FixtureOrgName = keyof typeof fixtureOrgs;

/** SP-initiated fixtures answer these AuthnRequest ids; a test gives the request it started this id (pinRequestId). */
export const FIXTURE_REQUEST_IDS = {
  testRun: '_f1c0000000000000000000000000a001',
  xmlsecLogin: '_f1c0000000000000000000000000a002',
  attacksLogin: '_f1c0000000000000000000000000a003',
} as const;

export const issuerOf = (org: FixtureOrg) => `https://idp.${org.domain}/saml`;
export const spOf = (org: FixtureOrg): SpFacts => ({
  entityId: `${FIXTURE_PUBLIC_URL}/sso/saml/${org.connectionId}/metadata`,
  acsUrl: `${FIXTURE_PUBLIC_URL}/sso/saml/${org.connectionId}/acs`,
});

interface FixtureSpec {
  org: FixtureOrgName;
  signer: FixtureSigner;
  /** Everything but issuedAt, issuer, sp and the IDs, which come from the org and the name. */
  craft: Omit<CraftOptions, 'issuedAt' | 'issuer' | 'sp' | 'responseId' | 'assertionId'> & Partial<Pick<CraftOptions, 'issuer'>>;
}

const minutes = (n: number) => new Date(FIXTURE_ISSUED_AT.getTime() + n * 60_000);
const attacker = { email: `attacker@${fixtureOrgs.attacks.domain}` };
const attack = (craft: Partial<FixtureSpec['craft']> = {}, signer: FixtureSigner = 'idp'): FixtureSpec => ({ org: 'attacks', signer, craft: { user: attacker, ...craft } });

/** Every fixture, by file name (without .xml). Each is signed once; a test that consumes one uses its own. */
export const fixtureSpecs = {
  // saml.test.ts
  'test-run-rogue-key': { org: 'testRun', signer: 'rogue', craft: { user: { email: `tester@${fixtureOrgs.testRun.domain}` }, requestId: FIXTURE_REQUEST_IDS.testRun } },
  'xmlsec-signed-assertion': { org: 'xmlsec', signer: 'idp', craft: { user: { email: `xa@${fixtureOrgs.xmlsec.domain}` }, requestId: FIXTURE_REQUEST_IDS.xmlsecLogin } },
  'xmlsec-signed-response': { org: 'xmlsec', signer: 'idp', craft: { user: { email: `xr@${fixtureOrgs.xmlsec.domain}` }, sign: 'response' } },
  // saml-attacks.test.ts
  'attack-control': attack(),
  'attack-window': attack(),
  'attack-rogue-key': attack({}, 'rogue'),
  'attack-xsw-before': attack(),
  'attack-xsw-after': attack(),
  'attack-xsw-advice': attack(),
  'attack-xsw-object': attack(),
  'attack-xsw-nested-response': attack({ sign: 'response' }),
  'attack-wrong-audience': attack({ audience: 'https://other-sp.example/metadata' }),
  'attack-expired': attack({ notBefore: minutes(-30), notOnOrAfter: minutes(-10) }),
  'attack-not-yet-valid': attack({ notBefore: minutes(10), notOnOrAfter: minutes(20) }),
  'attack-within-skew': attack({ notBefore: minutes(-10), notOnOrAfter: minutes(-1) }),
  'attack-replay': attack(),
  'attack-never-issued-request': attack({ requestId: '_never-issued' }),
  'attack-request-answer': attack({ requestId: FIXTURE_REQUEST_IDS.attacksLogin }),
  'attack-request-second-answer': attack({ requestId: FIXTURE_REQUEST_IDS.attacksLogin }),
  'attack-altered-attribute': attack(),
  'attack-comment-injection': attack({ omitAttributes: true, user: { email: 'ignored@x.test' }, nameIdXml: `victim@${fixtureOrgs.attacks.domain}<!---->.evil.example` }),
  'attack-wrong-recipient': attack({ recipient: 'https://evil.example/acs' }),
  'attack-wrong-destination': attack({ destination: 'https://evil.example/acs' }),
  'attack-wrong-issuer': attack({ issuer: 'https://impostor.example/idp' }),
  'attack-for-other-org': { org: 'attacksOther', signer: 'other-idp', craft: { user: { email: `victim@${fixtureOrgs.attacks.domain}` } } },
} as const satisfies Record<string, FixtureSpec>;
export type FixtureName = keyof typeof fixtureSpecs;
export const FIXTURE_NAMES = Object.keys(fixtureSpecs) as FixtureName[];

/** A stable SAML ID (an underscore and hex, like real ones) from the fixture's name. */
const idOf = (name: string, part: string) => `_${createHash('sha256').update(`${name}/${part}`).digest('hex').slice(0, 32)}`;

/** The unsigned response (with xmlsec1's signature template) that `name` is made from. */
export function fixtureTemplate(name: FixtureName): string {
  const spec: FixtureSpec = fixtureSpecs[name];
  const org = fixtureOrgs[spec.org];
  return craftResponseXml({ issuer: issuerOf(org), ...spec.craft, issuedAt: FIXTURE_ISSUED_AT, sp: spOf(org), responseId: idOf(name, 'response'), assertionId: idOf(name, 'assertion') }).xml;
}

export const fixtureSignerOf = (name: FixtureName): FixtureSigner => fixtureSpecs[name].signer;

export const keyFilesOf = (signer: FixtureSigner, dir = SAML_FIXTURES_DIR) => ({
  key: path.join(dir, 'keys', `${signer}.TEST-ONLY.key.pem`),
  cert: path.join(dir, 'keys', `${signer}.TEST-ONLY.cert.pem`),
});

/** A committed TEST-ONLY key pair (never a real IdP's). */
export function fixtureKeys(signer: FixtureSigner): IdpKeys {
  const files = keyFilesOf(signer);
  return { key: readFileSync(files.key, 'utf8'), cert: readFileSync(files.cert, 'utf8') };
}

export const fixtureFileOf = (name: FixtureName, dir = SAML_FIXTURES_DIR) => path.join(dir, `${name}.xml`);

/** The committed signed response, as xmlsec1 wrote it. */
export const fixtureXml = (name: FixtureName) => readFileSync(fixtureFileOf(name), 'utf8');
