import * as client from 'openid-client';
import type { SsoConnectionRow, SsoRequestRow } from './sso.db';
import { oidcRedirectOf, outboundPolicy, REQUEST_TTL_MS, ssoRepo, type SsoDeps } from './sso.deps';
import { assertOutbound } from './sso.metadata';
import { SsoFailure, type IdpIdentity } from './sso.signin.service';

/** OIDC relying party (openid-client 6): discovery, authorization code + PKCE (S256), state and nonce. */
async function configOf(deps: SsoDeps, conn: SsoConnectionRow): Promise<client.Configuration> {
  const issuer = conn.oidc_issuer ?? '';
  const policy = outboundPolicy(deps);
  const url = assertOutbound(issuer, policy);
  const secret = conn.oidc_client_secret ? deps.kernel.secrets.open(conn.oidc_client_secret) : undefined;
  try {
    // http:// issuers only where private targets are allowed (tests, closed networks).
    return await client.discovery(url, conn.oidc_client_id ?? '', secret, undefined, {
      timeout: 10,
      ...(policy.allowPrivate && url.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    throw new SsoFailure('sso.oidc_discovery', `OIDC discovery failed: ${(error as Error).message}`);
  }
}

/** Starts a sign-in: state, nonce and the PKCE verifier stay on the server, keyed by state. */
export async function oidcLoginUrl(deps: SsoDeps, conn: SsoConnectionRow, context: { test: boolean; actorAccountId: string | null }): Promise<{ url: string; state: string }> {
  const config = await configOf(deps, conn);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  const now = deps.kernel.clock.now();
  await ssoRepo(deps).insertRequest({
    id: state,
    connection_id: conn.id,
    org_id: conn.org_id,
    test: context.test ? 1 : 0,
    actor_account_id: context.actorAccountId,
    nonce,
    code_verifier: verifier,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + REQUEST_TTL_MS).toISOString(),
  });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectOf(deps, conn.id),
    scope: conn.oidc_scopes ?? 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state };
}

/** The pending request a callback answers (by state), or null when unknown, expired or for another connection. */
export async function oidcRequestOf(deps: SsoDeps, conn: SsoConnectionRow, state: string | undefined): Promise<SsoRequestRow | null> {
  if (!state) return null;
  const row = await ssoRepo(deps).findRequest(state, deps.kernel.clock.now().toISOString());
  return row && row.connection_id === conn.id ? row : null;
}

/** Redeems the code (state, nonce, PKCE and the ID token checked by openid-client) and reads the claims. */
export async function completeOidc(deps: SsoDeps, conn: SsoConnectionRow, request: SsoRequestRow, query: Record<string, string>): Promise<IdpIdentity> {
  if (!(await ssoRepo(deps).takeRequest(request.id))) throw new SsoFailure('sso.oidc_state', 'The sign-in was already completed or expired.');
  if (query.error) throw new SsoFailure('sso.oidc_denied', `The IdP answered ${query.error.slice(0, 100)}.`);
  const config = await configOf(deps, conn);
  const current = new URL(oidcRedirectOf(deps, conn.id));
  for (const [key, value] of Object.entries(query)) current.searchParams.set(key, value);
  try {
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: request.code_verifier ?? '',
      expectedState: request.id,
      expectedNonce: request.nonce ?? '',
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    let attributes: Record<string, unknown> = { ...claims };
    if (!claims.email && tokens.access_token) {
      attributes = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...attributes };
    }
    if (attributes.email_verified === false) throw new SsoFailure('sso.email_unverified', 'The IdP says the email address is not verified.');
    return { subject: claims.sub, attributes };
  } catch (error) {
    if (error instanceof SsoFailure) throw error;
    throw new SsoFailure('sso.oidc_invalid', `OIDC sign-in refused: ${(error as Error).message}`);
  }
}
