import { SAML, ValidateInResponseTo, type CacheProvider, type Profile, type SamlConfig } from '@node-saml/node-saml';
import { parseDomFromString } from '@node-saml/node-saml/lib/xml';
import type { Clock } from '../../../kernel/clock';
import type { SsoConnectionRow, SsoRequestRow } from './sso.db';
import { acsUrlOf, CLOCK_SKEW_MS, REQUEST_TTL_MS, sloUrlOf, spEntityIdOf, ssoRepo, type SsoDeps } from './sso.deps';
import { pemOf } from './sso.metadata';
import { SsoFailure, type IdpIdentity } from './sso.signin.service';
import { spSigningKeys, type SpSigningKeys } from './sso.sp-keys';

/**
 * node-saml judges NotBefore/NotOnOrAfter and the assertion's age on the system clock; this SP judges
 * them on the kernel's injectable clock like every other "now" here (request and replay expiry), so a
 * test can replay a response signed once at a fixed time (issue 10).
 */
class ClockedSaml extends SAML {
  constructor(
    private readonly clock: Clock,
    options: SamlConfig,
  ) {
    super(options);
  }

  protected override checkTimestampsValidityError(_systemNowMs: number, notBefore: string, notOnOrAfter: string, maxTimeLimitMs?: number): Error | null {
    return super.checkTimestampsValidityError(this.clock.now().getTime(), notBefore, notOnOrAfter, maxTimeLimitMs);
  }
}

/** An assertion may be used this long after it was issued; its id is remembered a little longer (replay cache). */
const MAX_ASSERTION_AGE_MS = 60 * 60 * 1000;
const REPLAY_TTL_MS = MAX_ASSERTION_AGE_MS + 2 * CLOCK_SKEW_MS;

/** Marks a pending SP LogoutRequest in sso_requests (its `nonce` column is otherwise OIDC's). */
export const LOGOUT_REQUEST_MARK = 'saml-logout';

export interface SamlContext {
  test: boolean;
  actorAccountId: string | null;
  /** A LogoutRequest/LogoutResponse exchange instead of a sign-in: the two kinds of request ids never answer each other. */
  logout?: boolean;
}

/**
 * node-saml's request-id cache, on the pass store: a request id is usable once, within REQUEST_TTL_MS
 * of our clock. `context` says what to record with a new request (test run, who started it).
 */
function requestCache(deps: SsoDeps, conn: SsoConnectionRow, context: SamlContext): CacheProvider {
  const mark = context.logout ? LOGOUT_REQUEST_MARK : null;
  const repo = ssoRepo(deps);
  return {
    async saveAsync(key, value) {
      const now = deps.kernel.clock.now();
      await repo.insertRequest({
        id: key,
        connection_id: conn.id,
        org_id: conn.org_id,
        test: context.test ? 1 : 0,
        actor_account_id: context.actorAccountId,
        nonce: mark,
        code_verifier: null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + REQUEST_TTL_MS).toISOString(),
      });
      return { value, createdAt: Date.now() };
    },
    async getAsync(key) {
      const row = await repo.findRequest(key, deps.kernel.clock.now().toISOString());
      // node-saml compares with its own clock; our expiry (on the injectable clock) already decided.
      return row && row.connection_id === conn.id && row.nonce === mark ? new Date().toISOString() : null;
    },
    async removeAsync(key) {
      if (key) await repo.takeRequest(key);
      return key;
    },
  };
}

/** node-saml for this connection; with `signing`, every message Toride sends is signed (RSA-SHA256). */
export function samlFor(deps: SsoDeps, conn: SsoConnectionRow, context: SamlContext = { test: false, actorAccountId: null }, signing?: SpSigningKeys): SAML {
  const certs = (JSON.parse(conn.idp_certs ?? '[]') as string[]).map(pemOf);
  return new ClockedSaml(deps.kernel.clock, {
    entryPoint: conn.idp_sso_url ?? '',
    issuer: spEntityIdOf(deps, conn.id),
    audience: spEntityIdOf(deps, conn.id),
    callbackUrl: acsUrlOf(deps, conn.id),
    idpIssuer: conn.idp_entity_id ?? '',
    idpCert: certs,
    // Either the whole Response or the Assertion must carry a valid signature (node-saml checks both ways).
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: requestCache(deps, conn, context),
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    maxAssertionAgeMs: MAX_ASSERTION_AGE_MS,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...(sloAdvertised(conn) ? { logoutUrl: conn.idp_slo_url!, logoutCallbackUrl: sloUrlOf(deps, conn.id) } : {}),
    ...(signing ? { privateKey: signing.key, publicCert: signing.cert, signatureAlgorithm: 'sha256' as const } : {}),
  });
}

/** Single logout needs the admin's consent and an IdP that has an SLO endpoint to answer. */
export const sloAdvertised = (conn: SsoConnectionRow) => conn.slo_enabled === 1 && Boolean(conn.idp_slo_url);

const SLO_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const SLO_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/**
 * SP metadata with the SP's signing certificate. node-saml advertises the SLO endpoint with the POST
 * binding only; the same endpoint also takes HTTP-Redirect (both are implemented), so that binding
 * is listed beside it.
 */
export async function spMetadataXml(deps: SsoDeps, conn: SsoConnectionRow): Promise<string> {
  const keys = await spSigningKeys(deps, conn);
  const xml = samlFor(deps, conn, undefined, keys).generateServiceProviderMetadata(null, keys.cert);
  if (!sloAdvertised(conn)) return xml;
  const post = new RegExp(`<SingleLogoutService Binding="${SLO_POST}" Location="([^"]+)"/>`);
  return xml.replace(post, (element, location: string) => `${element}<SingleLogoutService Binding="${SLO_REDIRECT}" Location="${location}"/>`);
}

/** The IdP URL that starts an SP-initiated sign-in (HTTP-Redirect binding, signed AuthnRequest). */
export async function samlLoginUrl(deps: SsoDeps, conn: SsoConnectionRow, context: SamlContext): Promise<string> {
  return samlFor(deps, conn, context, await spSigningKeys(deps, conn)).getAuthorizeUrlAsync('', undefined, {});
}

interface XmlElement {
  getAttribute(name: string): string | null;
}

/** The Response's own (unsigned) routing facts: which request it answers, where it was meant to go. */
async function envelopeOf(samlResponse: string): Promise<{ inResponseTo: string | null; destination: string | null }> {
  let dom: { documentElement: XmlElement | null };
  try {
    dom = (await parseDomFromString(Buffer.from(samlResponse, 'base64').toString('utf8'))) as unknown as { documentElement: XmlElement | null };
  } catch {
    throw new SsoFailure('sso.saml_invalid', 'The SAML response is not well-formed.');
  }
  const root = dom.documentElement;
  return { inResponseTo: root?.getAttribute('InResponseTo') || null, destination: root?.getAttribute('Destination') || null };
}

type Parsed = Record<string, unknown>;
const first = (value: unknown): Parsed | undefined => (Array.isArray(value) ? (value[0] as Parsed | undefined) : undefined);
const attrsOf = (node: Parsed | undefined) => (node?.$ ?? {}) as Record<string, string | undefined>;

/**
 * Validates a posted SAMLResponse for this connection: signature (response or assertion) against the
 * IdP's certificates, issuer, audience, time window with bounded skew, InResponseTo (one use),
 * recipient and destination, then the replay cache. Returns the IdP's statement about the user.
 */
/** The pending request (SP-initiated) a posted response claims to answer; looked up before validation. */
export async function samlPendingRequest(deps: SsoDeps, conn: SsoConnectionRow, samlResponse: string): Promise<SsoRequestRow | null> {
  const { inResponseTo } = await envelopeOf(samlResponse);
  if (!inResponseTo) return null;
  const row = await ssoRepo(deps).findRequest(inResponseTo, deps.kernel.clock.now().toISOString());
  return row && row.connection_id === conn.id ? row : null;
}

export async function validateSamlResponse(deps: SsoDeps, conn: SsoConnectionRow, samlResponse: string): Promise<IdpIdentity> {
  const acs = acsUrlOf(deps, conn.id);
  const envelope = await envelopeOf(samlResponse);
  const now = deps.kernel.clock.now();
  let profile: Profile | null;
  try {
    ({ profile } = await samlFor(deps, conn).validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (error) {
    throw new SsoFailure(failureCode(error), `SAML response refused: ${(error as Error).message}`);
  }
  if (!profile) throw new SsoFailure('sso.saml_invalid', 'The SAML response carries no assertion.');
  // The signed assertion's issuer must be the IdP this connection trusts (node-saml leaves this to us).
  if (profile.issuer !== conn.idp_entity_id) throw new SsoFailure('sso.saml_issuer', 'The assertion comes from another issuer.');
  if (!envelope.inResponseTo && !conn.allow_idp_initiated) throw new SsoFailure('sso.idp_initiated_disabled', 'IdP-initiated sign-in is turned off for this connection.');
  if (envelope.destination && envelope.destination !== acs) throw new SsoFailure('sso.saml_destination', 'The response was sent to another destination.');
  const assertion = first((profile.getAssertion?.() as Parsed | undefined)?.Assertion) ?? ((profile.getAssertion?.() as Parsed | undefined)?.Assertion as Parsed | undefined);
  const confirmations = ((first(assertion?.Subject)?.SubjectConfirmation as Parsed[] | undefined) ?? []).map((c) => attrsOf(first(c.SubjectConfirmationData)));
  if (!confirmations.some((data) => data.Recipient === acs)) throw new SsoFailure('sso.saml_recipient', 'The assertion is meant for another recipient.');
  assertSolicitationMatches(confirmations, envelope.inResponseTo);
  const assertionId = attrsOf(assertion).ID;
  if (!assertionId) throw new SsoFailure('sso.saml_invalid', 'The assertion has no ID.');
  const fresh = await ssoRepo(deps).rememberAssertion(`${conn.id}:${assertionId}`, new Date(now.getTime() + REPLAY_TTL_MS).toISOString());
  if (!fresh) throw new SsoFailure('sso.saml_replayed', 'This assertion was already used.');
  const attributes: Record<string, unknown> = { ...((profile.attributes as Record<string, unknown> | undefined) ?? {}) };
  const isEmailFormat = /emailAddress$/.test(profile.nameIDFormat ?? '');
  return {
    subject: profile.nameID,
    attributes,
    fallbackEmail: isEmailFormat ? profile.nameID : null,
    saml: { nameId: profile.nameID, nameIdFormat: profile.nameIDFormat ?? null, sessionIndex: profile.sessionIndex ?? null },
  };
}

/**
 * Issue 13 §3: the signed assertion's SubjectConfirmationData/@InResponseTo says which request it
 * answers. node-saml checks it only when the (possibly unsigned) Response also carries InResponseTo,
 * so stripping the outer attribute — which breaks only the outer signature — would turn a solicited
 * assertion into an "IdP-initiated" one. A solicited assertion must arrive as the answer to that very
 * request (node-saml has then checked and consumed the request id), never as unsolicited.
 */
function assertSolicitationMatches(confirmations: Record<string, string | undefined>[], outer: string | null): void {
  const answered = [...new Set(confirmations.map((data) => data.InResponseTo).filter((id): id is string => Boolean(id)))];
  if (answered.length === 0) return;
  if (!outer) throw new SsoFailure('sso.saml_in_response_to', 'The assertion answers a sign-in request, but the response does not say which: refused as unsolicited.');
  if (answered.some((id) => id !== outer)) throw new SsoFailure('sso.saml_in_response_to', 'The assertion answers another sign-in request than the response.');
}

function failureCode(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/signature/i.test(message)) return 'sso.saml_signature';
  if (/audience/i.test(message)) return 'sso.saml_audience';
  if (/InResponseTo/i.test(message)) return 'sso.saml_in_response_to';
  if (/expired|not yet valid|NotBefore|NotOnOrAfter|subject confirmation/i.test(message)) return 'sso.saml_expired';
  if (/issuer/i.test(message)) return 'sso.saml_issuer';
  return 'sso.saml_invalid';
}
