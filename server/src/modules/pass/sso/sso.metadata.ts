import { parseDomFromString, xpath } from '@node-saml/node-saml/lib/xml';
import { badRequest } from '../../../kernel/errors';
import { checkTargetUrl, getOutbound, OutboundRefused, OutboundTooLarge, type OutboundDocument, type OutboundPolicy } from '../../../kernel/outbound-http';

/** What Toride keeps of an IdP's SAML metadata. */
export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  sloUrl: string | null;
  /** PEM bodies (base64 DER, no armour), signing certificates only. */
  certs: string[];
}

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const invalid = (why: string) => badRequest('sso.invalid_metadata', `The IdP metadata is not usable: ${why}.`);
const MAX_METADATA_BYTES = 512 * 1024;

interface XmlNode {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
const select = (node: unknown, path: string) => xpath.selectElements(node as never, path) as unknown as XmlNode[];

/** Parses IdP metadata (an EntityDescriptor, or the first IdP of an EntitiesDescriptor). */
export async function parseIdpMetadata(xml: string): Promise<IdpMetadata> {
  if (xml.length > MAX_METADATA_BYTES) throw invalid('it is larger than 512 KB');
  let dom: unknown;
  try {
    dom = await parseDomFromString(xml);
  } catch {
    throw invalid('it is not well-formed XML');
  }
  const [entity] = select(dom, "//*[local-name()='EntityDescriptor'][*[local-name()='IDPSSODescriptor']]");
  const entityId = entity?.getAttribute('entityID');
  if (!entity || !entityId) throw invalid('no EntityDescriptor with an IDPSSODescriptor');
  const [idp] = select(entity, "./*[local-name()='IDPSSODescriptor']");
  const sso = select(idp, "./*[local-name()='SingleSignOnService']");
  const ssoUrl = sso.find((s) => s.getAttribute('Binding') === REDIRECT)?.getAttribute('Location');
  if (!ssoUrl) throw invalid('no SingleSignOnService with the HTTP-Redirect binding');
  const slo = select(idp, "./*[local-name()='SingleLogoutService']").find((s) => s.getAttribute('Binding') === REDIRECT);
  const certs = select(idp, "./*[local-name()='KeyDescriptor'][not(@use) or @use='signing']//*[local-name()='X509Certificate']")
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''))
    .filter((c) => /^[A-Za-z0-9+/=]{100,}$/.test(c));
  if (certs.length === 0) throw invalid('no signing certificate');
  assertHttpUrl(ssoUrl);
  return { entityId, ssoUrl, sloUrl: slo?.getAttribute('Location') ?? null, certs: [...new Set(certs)] };
}

export function assertHttpUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest('sso.invalid_url', 'The URL is not valid.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badRequest('sso.invalid_url', 'Only http(s) URLs are allowed.');
}

/**
 * Fetches metadata from the IdP through the kernel's outbound client (issue 13 §7): the address rules
 * of every outbound call (no private targets unless TORIDE_OUTBOUND_PRIVATE_TARGETS=on), checked on the
 * address actually connected to, so a name cannot resolve to a public address when checked and to a
 * private one when fetched (DNS rebinding). No redirects, 10 s, 512 KB.
 */
export async function fetchIdpMetadata(rawUrl: string, policy: OutboundPolicy): Promise<{ xml: string; metadata: IdpMetadata }> {
  assertOutbound(rawUrl, policy);
  let answer: OutboundDocument;
  try {
    answer = await getOutbound(rawUrl, { accept: 'application/samlmetadata+xml, application/xml, text/xml' }, { timeoutMs: 10_000, ...policy }, MAX_METADATA_BYTES);
  } catch (error) {
    if (error instanceof OutboundRefused) throw badRequest(error.code, error.message);
    if (error instanceof OutboundTooLarge) throw invalid('it is larger than 512 KB');
    throw badRequest('sso.metadata_unreachable', 'The metadata URL could not be fetched.');
  }
  if (answer.status !== 200) throw badRequest('sso.metadata_unreachable', `The metadata URL answered HTTP ${answer.status}.`);
  return { xml: answer.body, metadata: await parseIdpMetadata(answer.body) };
}

export function assertOutbound(rawUrl: string, policy: OutboundPolicy): URL {
  try {
    return checkTargetUrl(rawUrl, policy);
  } catch (error) {
    if (error instanceof OutboundRefused) throw badRequest(error.code, error.message);
    throw error;
  }
}

export const pemOf = (body: string) => `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
