import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import * as samlify from 'samlify';
import selfsigned from 'selfsigned';
import type { Clock } from '../../../kernel/clock';

/**
 * Two independent IdP-side implementations for tests and the e2e run, never used by the server:
 * `samlify` as an IdP library, and hand-built responses (`craftResponseXml`) that Debian's `xmlsec1`
 * signs once, in `npm run fixtures:saml` (scripts/saml-fixtures.ts) — the tests replay the committed
 * fixtures, so `npm test` needs no xmlsec1. Not mocks: they produce real signed SAML that the SP
 * validates with node-saml. The SP judges time windows on the kernel's clock, so the IdP side takes
 * the same clock (`t.clock` in tests, `systemClock` against a real server).
 */
samlify.setSchemaValidator({ validate: async () => 'skipped' }); // test IdP only: never parses untrusted XML

export interface TestIdpUser {
  email: string;
  name?: string;
  groups?: string[];
  role?: string;
  nameId?: string;
}

export interface SpFacts {
  entityId: string;
  acsUrl: string;
}

export interface IdpKeys {
  key: string;
  cert: string;
}

export async function generateIdpKeys(commonName = 'idp.test', validity?: { from: Date; until: Date }): Promise<IdpKeys> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    ...(validity ? { notBeforeDate: validity.from, notAfterDate: validity.until } : {}),
  });
  return { key: pems.private, cert: pems.cert };
}

const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const newSamlId = () => `_${randomBytes(16).toString('hex')}`;

export function attributeStatement(user: TestIdpUser): string {
  const attr = (name: string, values: string[]) =>
    values.length === 0 ? '' : `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
  return `<saml:AttributeStatement>${attr('email', [user.email])}${attr('name', user.name ? [user.name] : [])}${attr('groups', user.groups ?? [])}${attr('role', user.role ? [user.role] : [])}</saml:AttributeStatement>`;
}

/** The SP's request id from an HTTP-Redirect login URL. */
export function requestIdOf(loginUrl: string): string {
  const request = new URL(loginUrl).searchParams.get('SAMLRequest');
  if (!request) throw new Error('no SAMLRequest in the URL');
  const xml = zlib.inflateRawSync(Buffer.from(request, 'base64')).toString();
  const id = /ID="([^"]+)"/.exec(xml)?.[1];
  if (!id) throw new Error('no ID in the AuthnRequest');
  return id;
}

/**
 * Fills samlify's login-response template (samlify's `customTagReplacement`) for `sp`: a Response
 * answering `requestId` (null: IdP-initiated, the InResponseTo attributes dropped), issued at `now`,
 * valid 5 minutes, opening IdP session `sessionIndex`.
 */
export function responseTemplateFiller(options: { now: Date; sp: SpFacts; user: TestIdpUser; requestId: string | null; issuer: string; sessionIndex: string }) {
  const { now, sp, user, requestId } = options;
  const later = new Date(now.getTime() + 5 * 60 * 1000).toISOString();
  return (template: string) => {
    const id = newSamlId();
    const values: Record<string, string> = {
      ID: id,
      AssertionID: newSamlId(),
      IssueInstant: now.toISOString(),
      Destination: sp.acsUrl,
      InResponseTo: requestId ?? '',
      Issuer: options.issuer,
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      NameIDFormat: EMAIL_FORMAT,
      NameID: esc(user.nameId ?? user.email),
      SubjectConfirmationDataNotOnOrAfter: later,
      SubjectRecipient: sp.acsUrl,
      ConditionsNotBefore: new Date(now.getTime() - 60_000).toISOString(),
      ConditionsNotOnOrAfter: later,
      Audience: sp.entityId,
      AuthnStatement: `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${options.sessionIndex}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
      AttributeStatement: attributeStatement(user),
    };
    let context = template.replace(/ ?InResponseTo="\{InResponseTo\}"/g, requestId ? ` InResponseTo="${requestId}"` : '');
    context = context.replace(/\{(\w+)\}/g, (all, tag: string) => values[tag] ?? all);
    return { id, context };
  };
}

/**
 * A samlify IdP whose metadata the SP imports. `clock`: the SP's clock (responses are issued at its
 * "now"); `keys`: a given key pair (the committed fixture keys), else a fresh one.
 */
export async function createSamlifyIdp(entityId: string, ssoUrl: string, clock: Clock, givenKeys?: IdpKeys) {
  if (typeof clock?.now !== 'function') throw new Error('createSamlifyIdp: pass the clock the SP reads (t.clock in tests, systemClock against a real server)');
  const keys = givenKeys ?? (await generateIdpKeys());
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: keys.key,
    signingCert: keys.cert,
    isAssertionEncrypted: false,
    wantAuthnRequestsSigned: false,
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: ssoUrl }],
    nameIDFormat: [EMAIL_FORMAT],
  });
  return {
    keys,
    metadata: idp.getMetadata(),
    /** A signed Response (Response and Assertion signed) for `sp`, answering `requestId` (null: IdP-initiated). */
    async respond(sp: SpFacts, user: TestIdpUser, requestId: string | null): Promise<string> {
      const spEntity = samlify.ServiceProvider({
        entityID: sp.entityId,
        wantAssertionsSigned: true,
        wantMessageSigned: true,
        assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: sp.acsUrl }],
      });
      const replace = responseTemplateFiller({ now: clock.now(), sp, user, requestId, issuer: entityId, sessionIndex: newSamlId() });
      const { context } = await idp.createLoginResponse(spEntity, { extract: { request: { id: requestId ?? '' } } }, 'post', { email: user.email }, replace);
      return context;
    },
  };
}

/** Options for a hand-built response, signed by xmlsec1 (each default is the valid value). */
export interface CraftOptions {
  /** IssueInstant and AuthnInstant; the validity window defaults to one minute before till five after. */
  issuedAt: Date;
  /** Fixed IDs make a fixture reproducible byte for byte; random ones by default. */
  responseId?: string;
  assertionId?: string;
  issuer: string;
  sp: SpFacts;
  user: TestIdpUser;
  requestId?: string | null;
  audience?: string;
  recipient?: string;
  destination?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  /** Raw XML for the NameID text (comment injection). */
  nameIdXml?: string;
  /** Which element xmlsec1 signs. */
  sign?: 'assertion' | 'response' | 'none';
  /** Leave the AttributeStatement out (the email then comes from an emailAddress NameID). */
  omitAttributes?: boolean;
}

export function craftResponseXml(options: CraftOptions): { xml: string; responseId: string; assertionId: string } {
  const now = options.issuedAt;
  const responseId = options.responseId ?? newSamlId();
  const assertionId = options.assertionId ?? newSamlId();
  const notBefore = (options.notBefore ?? new Date(now.getTime() - 60_000)).toISOString();
  const notOnOrAfter = (options.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)).toISOString();
  const irt = options.requestId ? ` InResponseTo="${options.requestId}"` : '';
  const sigTemplate = (ref: string) =>
    `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#${ref}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`;
  const issuer = `<saml:Issuer>${esc(options.issuer)}</saml:Issuer>`;
  const assertion =
    `<saml:Assertion xmlns:saml="${NS_ASSERTION}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${assertionId}" Version="2.0" IssueInstant="${now.toISOString()}">` +
    issuer +
    (options.sign === 'assertion' || options.sign === undefined ? sigTemplate(assertionId) : '') +
    `<saml:Subject><saml:NameID Format="${EMAIL_FORMAT}">${options.nameIdXml ?? esc(options.user.nameId ?? options.user.email)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${esc(options.recipient ?? options.sp.acsUrl)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${esc(options.audience ?? options.sp.entityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (options.omitAttributes ? '' : attributeStatement(options.user)) +
    `</saml:Assertion>`;
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="${NS_ASSERTION}" ID="${responseId}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${esc(options.destination ?? options.sp.acsUrl)}"${irt}>` +
    issuer +
    (options.sign === 'response' ? sigTemplate(responseId) : '') +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`;
  return { xml, responseId, assertionId };
}

export const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
export const unb64 = (value: string) => Buffer.from(value, 'base64').toString('utf8');
