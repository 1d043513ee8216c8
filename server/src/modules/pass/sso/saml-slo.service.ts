import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Profile } from '@node-saml/node-saml';
import { parseDomFromString } from '@node-saml/node-saml/lib/xml';
import type { RequestMeta } from '../../../kernel/http/request-context';
import { LOGOUT_REQUEST_MARK, samlFor, sloAdvertised } from './saml.service';
import type { SsoConnectionRow } from './sso.db';
import { CLOCK_SKEW_MS, REQUEST_TTL_MS, sloUrlOf, ssoRepo, type SsoDeps } from './sso.deps';
import { SsoFailure } from './sso.signin.service';
import { spSigningKeys } from './sso.sp-keys';

/**
 * SAML single logout (issue 13 §2), both directions, HTTP-Redirect and HTTP-POST bindings. Every
 * message Toride sends is signed with the connection's SP key; every message it accepts must be
 * signed by the IdP (node-saml accepts an unsigned Redirect message, so the signature is required
 * here first), come from the connection's IdP, be addressed to this SLO endpoint, be fresh and be
 * used once. A logout ends exactly the Toride sessions of that SSO sign-in (sso_sessions).
 */
export type SloBinding = 'redirect' | 'post';

const inflateRaw = promisify(zlib.inflateRaw);
/** SHA-1 signatures are refused (collision-prone); IdPs sign SLO messages with SHA-256 or better. */
const ALLOWED_SIG_ALGS = new Set(['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512']);
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const MAX_MESSAGE_BYTES = 256 * 1024;
const UNSPECIFIED_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

export interface SloMessage {
  binding: SloBinding;
  /** Redirect: the parsed query; POST: the form fields. */
  fields: Record<string, string>;
  /** Redirect only: the raw query string, whose bytes the signature covers. */
  rawQuery?: string;
}

interface XmlElement {
  getAttribute(name: string): string | null;
  localName: string;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlElement>;
  textContent: string | null;
}

const invalid = (message: string) => new SsoFailure('sso.slo_invalid', message);

async function xmlOf(message: SloMessage, field: 'SAMLRequest' | 'SAMLResponse'): Promise<string> {
  const raw = Buffer.from(message.fields[field] ?? '', 'base64');
  if (raw.length === 0) throw invalid(`The ${field} is empty.`);
  try {
    // Bounded: a small deflated message must not expand into a memory bomb (node-saml inflates again, unbounded, after this).
    return message.binding === 'redirect' ? (await inflateRaw(raw, { maxOutputLength: MAX_MESSAGE_BYTES })).toString('utf8') : raw.toString('utf8');
  } catch {
    throw invalid(`The ${field} is not deflated SAML.`);
  }
}

async function rootOf(xml: string): Promise<XmlElement> {
  try {
    const dom = (await parseDomFromString(xml)) as unknown as { documentElement: XmlElement | null };
    if (dom.documentElement) return dom.documentElement;
  } catch {
    // fall through
  }
  throw invalid('The SAML message is not well-formed.');
}

/** A Redirect message must carry an allowed signature: node-saml would let an unsigned one through. */
function requireRedirectSignature(message: SloMessage): void {
  if (message.binding !== 'redirect') return;
  if (!message.fields.Signature || !message.fields.SigAlg || !message.rawQuery) throw new SsoFailure('sso.slo_signature', 'The logout message is not signed.');
  if (!ALLOWED_SIG_ALGS.has(message.fields.SigAlg)) throw new SsoFailure('sso.slo_signature', 'The logout message is signed with an algorithm Toride does not accept.');
  // node-saml finds the signed octets by searching the raw query for each name: any other or repeated
  // parameter could make it verify other bytes than it then parses.
  const names = message.rawQuery.split('&').map((pair) => pair.split('=')[0]);
  if (new Set(names).size !== names.length || names.some((name) => !REDIRECT_PARAMS.has(name ?? ''))) {
    throw invalid('The logout message carries unexpected query parameters.');
  }
}

const REDIRECT_PARAMS = new Set(['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature']);

/** Addressed here, issued just now (node-saml checks only NotBefore/NotOnOrAfter, which IdPs may leave out). */
function assertRoutingAndTime(deps: SsoDeps, conn: SsoConnectionRow, root: XmlElement): void {
  const destination = root.getAttribute('Destination');
  if (destination && destination !== sloUrlOf(deps, conn.id)) throw new SsoFailure('sso.slo_destination', 'The logout message was sent to another destination.');
  const issued = Date.parse(root.getAttribute('IssueInstant') ?? '');
  // The kernel's clock, like every time window of this SP (saml.service.ts ClockedSaml).
  const now = deps.kernel.clock.now().getTime();
  if (Number.isNaN(issued) || issued > now + CLOCK_SKEW_MS || issued < now - REQUEST_TTL_MS - CLOCK_SKEW_MS) {
    throw new SsoFailure('sso.slo_expired', 'The logout message is too old or from the future.');
  }
}

function wrapLibraryError(error: unknown): never {
  if (error instanceof SsoFailure) throw error;
  const text = error instanceof Error ? error.message : String(error);
  if (/signature/i.test(text)) throw new SsoFailure('sso.slo_signature', `Logout message refused: ${text}`);
  if (/issuer/i.test(text)) throw new SsoFailure('sso.slo_issuer', `Logout message refused: ${text}`);
  if (/InResponseTo/i.test(text)) throw new SsoFailure('sso.slo_in_response_to', `Logout message refused: ${text}`);
  throw invalid(`Logout message refused: ${text}`);
}

async function audit(deps: SsoDeps, conn: SsoConnectionRow, meta: RequestMeta, outcome: 'success' | 'failure', actorId: string | null, details: Record<string, unknown>) {
  await deps.kernel.audit.record({
    orgId: conn.org_id,
    action: 'auth.sign_out',
    outcome,
    actor: actorId ? { type: 'account', id: actorId } : { type: 'anonymous' },
    target: { type: 'sso_connection', id: conn.id },
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    details: { method: 'saml', ...details },
  });
}

/** Audits a refused logout message (the route answers with the failure's code). */
export const recordSloFailure = (deps: SsoDeps, conn: SsoConnectionRow, meta: RequestMeta, direction: string, binding: SloBinding, failure: SsoFailure) =>
  audit(deps, conn, meta, 'failure', null, { slo: direction, binding, reason: failure.code, message: failure.message.slice(0, 300) });

/**
 * SP-initiated: ends the caller's session if an SSO sign-in with single logout started it, and returns
 * the IdP URL carrying the signed LogoutRequest (HTTP-Redirect). Null when single logout does not
 * apply: the caller then signs out locally as usual.
 */
export async function startSpLogout(deps: SsoDeps, accountId: string, sessionId: string, meta: RequestMeta): Promise<string | null> {
  const record = await ssoRepo(deps).findSsoSession(sessionId);
  if (!record || record.account_id !== accountId) return null;
  const conn = await ssoRepo(deps).findConnectionById(record.connection_id);
  if (!conn?.enabled || !sloAdvertised(conn)) return null;
  const saml = samlFor(deps, conn, { test: false, actorAccountId: accountId, logout: true }, await spSigningKeys(deps, conn));
  const user = { nameID: record.name_id, nameIDFormat: record.name_id_format ?? UNSPECIFIED_FORMAT, sessionIndex: record.session_index ?? undefined } as Profile;
  const url = await saml.getLogoutUrlAsync(user, '', {});
  await deps.identity.externalSignIn.endSession(accountId, sessionId);
  await ssoRepo(deps).deleteSsoSession(sessionId);
  await audit(deps, conn, meta, 'success', accountId, { slo: 'sp_initiated', binding: 'redirect', sessionId });
  return url;
}

/**
 * IdP-initiated: validates the IdP's LogoutRequest, ends the sessions of that sign-in (NameID, and
 * SessionIndex when the IdP names one), and returns the IdP URL carrying Toride's signed
 * LogoutResponse (HTTP-Redirect, to the IdP's SLO endpoint from its metadata).
 */
export async function handleIdpLogoutRequest(deps: SsoDeps, conn: SsoConnectionRow, message: SloMessage, meta: RequestMeta): Promise<string> {
  if (!sloAdvertised(conn)) throw new SsoFailure('sso.slo_disabled', 'Single logout is turned off for this connection.');
  requireRedirectSignature(message);
  const root = await rootOf(await xmlOf(message, 'SAMLRequest'));
  if (root.localName !== 'LogoutRequest') throw invalid('The message is not a LogoutRequest.');
  const keys = await spSigningKeys(deps, conn);
  const saml = samlFor(deps, conn, { test: false, actorAccountId: null, logout: true }, keys);
  let profile: Profile;
  try {
    const result =
      message.binding === 'redirect'
        ? await saml.validateRedirectAsync(message.fields, message.rawQuery!)
        : await saml.validatePostRequestAsync({ SAMLRequest: message.fields.SAMLRequest ?? '' });
    if (!result.profile) throw invalid('The LogoutRequest names nobody.');
    profile = result.profile;
  } catch (error) {
    wrapLibraryError(error);
  }
  assertRoutingAndTime(deps, conn, root);
  const requestId = String(profile.ID ?? '');
  const fresh = await ssoRepo(deps).rememberAssertion(`${conn.id}:slo:${requestId}`, new Date(deps.kernel.clock.now().getTime() + 2 * REQUEST_TTL_MS).toISOString());
  if (!fresh) throw new SsoFailure('sso.slo_replayed', 'This LogoutRequest was already used.');
  const sessionIndexes = sessionIndexesOf(root);
  const sessions = (await ssoRepo(deps).findSsoSessionsOf(conn.id, profile.nameID, deps.kernel.clock.now().toISOString())).filter(
    (s) => sessionIndexes.length === 0 || (s.session_index !== null && sessionIndexes.includes(s.session_index)),
  );
  for (const session of sessions) {
    await deps.identity.externalSignIn.endSession(session.account_id, session.session_id);
    await ssoRepo(deps).deleteSsoSession(session.session_id);
  }
  await audit(deps, conn, meta, 'success', sessions[0]?.account_id ?? null, {
    slo: 'idp_initiated',
    binding: message.binding,
    sessionsEnded: sessions.length,
    sessionIds: sessions.map((s) => s.session_id),
  });
  const relayState = message.fields.RelayState ?? '';
  return saml.getLogoutResponseUrlAsync(profile, relayState, {}, true);
}

/** Every SessionIndex the request names (node-saml's profile keeps only the first). */
function sessionIndexesOf(root: XmlElement): string[] {
  const nodes = root.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:protocol', 'SessionIndex');
  return Array.from(nodes, (n) => (n.textContent ?? '').trim()).filter(Boolean);
}

/**
 * SP-initiated, second half: the IdP's LogoutResponse to Toride's LogoutRequest. Must be signed by the
 * IdP, answer a pending LogoutRequest of this connection (used once) and report success.
 */
export async function handleIdpLogoutResponse(deps: SsoDeps, conn: SsoConnectionRow, message: SloMessage, meta: RequestMeta): Promise<void> {
  requireRedirectSignature(message);
  const root = await rootOf(await xmlOf(message, 'SAMLResponse'));
  if (root.localName !== 'LogoutResponse') throw invalid('The message is not a LogoutResponse.');
  const inResponseTo = root.getAttribute('InResponseTo');
  if (!inResponseTo) throw new SsoFailure('sso.slo_in_response_to', 'The LogoutResponse answers no request.');
  const pending = await ssoRepo(deps).findRequest(inResponseTo, deps.kernel.clock.now().toISOString());
  if (!pending || pending.connection_id !== conn.id || pending.nonce !== LOGOUT_REQUEST_MARK) {
    throw new SsoFailure('sso.slo_in_response_to', 'The LogoutResponse answers no pending logout of this connection.');
  }
  const saml = samlFor(deps, conn, { test: false, actorAccountId: null, logout: true }, await spSigningKeys(deps, conn));
  try {
    // Redirect: node-saml checks status, issuer, InResponseTo and the query signature. POST: only the
    // signature of the whole message — status and issuer are checked below for both.
    if (message.binding === 'redirect') await saml.validateRedirectAsync(message.fields, message.rawQuery!);
    else await saml.validatePostResponseAsync({ SAMLResponse: message.fields.SAMLResponse ?? '' });
  } catch (error) {
    wrapLibraryError(error);
  }
  const issuer = root.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0]?.textContent?.trim();
  if (issuer !== conn.idp_entity_id) throw new SsoFailure('sso.slo_issuer', 'The LogoutResponse comes from another issuer.');
  const status = root.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:protocol', 'StatusCode')[0]?.getAttribute('Value');
  assertRoutingAndTime(deps, conn, root);
  if (!(await ssoRepo(deps).takeRequest(inResponseTo))) throw new SsoFailure('sso.slo_in_response_to', 'This LogoutResponse was already used.');
  if (status !== SUCCESS) throw new SsoFailure('sso.slo_partial', `The IdP could not end every session (${status ?? 'no status'}).`);
  await audit(deps, conn, meta, 'success', pending.actor_account_id, { slo: 'sp_initiated_completed', binding: message.binding });
}
