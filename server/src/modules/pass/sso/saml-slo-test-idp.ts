import * as samlify from 'samlify';
import { generateIdpKeys, responseTemplateFiller, type SpFacts, type TestIdpUser } from './saml-test-idp';

/**
 * samlify as a real IdP with single logout (tests only, never used by the server): signs in through the
 * SP's ACS, sends and verifies signed LogoutRequests/LogoutResponses over HTTP-Redirect and HTTP-POST,
 * checking the SP's signatures against the SP metadata Toride serves.
 */
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const { redirect, post } = samlify.Constants.namespace.binding;

export async function createSloIdp(entityId: string, base: string) {
  const keys = await generateIdpKeys('slo-idp.test');
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: keys.key,
    signingCert: keys.cert,
    isAssertionEncrypted: false,
    wantAuthnRequestsSigned: false,
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
    singleSignOnService: [{ Binding: redirect, Location: `${base}/sso` }],
    singleLogoutService: [
      { Binding: redirect, Location: `${base}/slo` },
      { Binding: post, Location: `${base}/slo` },
    ],
    nameIDFormat: [EMAIL_FORMAT],
  });
  /** The SP as the IdP knows it: from the metadata Toride serves; `signed: false` plays an IdP that skips signing. */
  const spOf = (spMetadata: string, signed = true) =>
    samlify.ServiceProvider({ metadata: spMetadata, wantLogoutRequestSigned: signed, wantLogoutResponseSigned: signed, wantAssertionsSigned: true, wantMessageSigned: true });
  return {
    keys,
    metadata: idp.getMetadata(),
    spOf,
    /** A signed Response (Response and Assertion signed) for `sp`, answering `requestId` (null: IdP-initiated), opening IdP session `sessionIndex`. */
    async respond(sp: SpFacts, spMetadata: string, user: TestIdpUser, requestId: string | null, sessionIndex: string): Promise<string> {
      const replace = responseTemplateFiller({ now: new Date(), sp, user, requestId, issuer: entityId, sessionIndex });
      // Signs the assertion too, as most IdPs do whatever the SP metadata asks (samlify follows the metadata).
      const signingBoth = spMetadata.includes('WantAssertionsSigned=') ? spMetadata : spMetadata.replace('<SPSSODescriptor ', '<SPSSODescriptor WantAssertionsSigned="true" ');
      const { context } = await idp.createLoginResponse(spOf(signingBoth), { extract: { request: { id: requestId ?? '' } } }, 'post', { email: user.email }, replace);
      return context;
    },
    /** IdP-initiated logout of `nameId` (one IdP session when `sessionIndex` is given). */
    logoutRequest(spMetadata: string, binding: 'redirect' | 'post', nameId: string, sessionIndex?: string, options: { signed?: boolean; relayState?: string } = {}) {
      return idp.createLogoutRequest(spOf(spMetadata, options.signed ?? true), binding, { logoutNameID: nameId, sessionIndex }, options.relayState ?? '') as {
        id: string;
        context: string;
      };
    },
    /** Parses and verifies Toride's LogoutRequest (Redirect): throws when the SP signature is wrong. */
    parseLogoutRequest: (spMetadata: string, url: string) => idp.parseLogoutRequest(spOf(spMetadata), 'redirect', redirectEnvelope(url)),
    /** Parses and verifies Toride's LogoutResponse (Redirect). */
    parseLogoutResponse: (spMetadata: string, url: string) => idp.parseLogoutResponse(spOf(spMetadata), 'redirect', redirectEnvelope(url)),
    /** The IdP's answer to Toride's LogoutRequest. */
    logoutResponse(spMetadata: string, requestInfo: unknown, binding: 'redirect' | 'post', relayState = '') {
      return idp.createLogoutResponse(spOf(spMetadata), requestInfo as never, binding, relayState) as { id: string; context: string };
    },
  };
}

/** What an IdP's HTTP layer hands samlify for a Redirect message: the query and the signed octets. */
export function redirectEnvelope(url: string) {
  const raw = new URL(url).search.slice(1);
  const octetString = raw
    .split('&')
    .filter((pair) => !pair.startsWith('Signature='))
    .join('&');
  return { query: Object.fromEntries(new URL(url).searchParams), octetString };
}
