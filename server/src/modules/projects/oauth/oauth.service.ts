import type { Kysely } from 'kysely';
import { AppError, badRequest, forbidden, notFound } from '../../../kernel/errors';
import { hashToken, randomToken, safeEqual } from '../../../kernel/crypto';
import type { AccountPrincipal } from '../../../kernel/http/request-context';
import { resolveOrgAccess, type OrgAccess } from '../../identity';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { openSpace, type ProjectsDeps } from '../spaces.service';
import type { OAuthAppRow, OAuthTokenRow } from './oauth.db';
import { createOAuthRepository } from './oauth.repository';

/** Backlog's lifetimes: access tokens live one hour; refresh tokens rotate on every use. */
export const ACCESS_TTL_SECONDS = 3600;
const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
const CODE_TTL_MS = 10 * 60 * 1000;

/** An RFC 6749 error, sent by the token endpoint as `{error, error_description}` plus Backlog's `errors`. */
export class OAuthError extends AppError {
  constructor(
    status: number,
    readonly oauthCode: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type',
    message: string,
  ) {
    super(status, `oauth.${oauthCode}`, message);
  }
}

/** The apps live in the org's projects region; client ids and tokens are looked up across regions. */
async function allStores(deps: ProjectsDeps): Promise<Kysely<ProjectsDb>[]> {
  const regions = [...new Set([deps.kernel.config.regionProjectsJa, deps.kernel.config.regionProjectsEn])];
  return Promise.all(regions.map(async (region) => (await deps.kernel.stores.open<ProjectsDb>(projectsStoreSpec(region))).db));
}

export async function findApp(deps: ProjectsDeps, clientId: string): Promise<{ db: Kysely<ProjectsDb>; app: OAuthAppRow } | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(clientId)) return null;
  for (const db of await allStores(deps)) {
    const app = await createOAuthRepository(db).findAppByClientId(clientId);
    if (app) return { db, app };
  }
  return null;
}

// ---- Registration by org admins (native /api/v1) ----

function requireOrgAdmin(access: OrgAccess) {
  if (access.membership.role !== 'admin') throw forbidden('Only organization admins can manage OAuth apps.', 'oauth.forbidden');
}

export const presentApp = (app: OAuthAppRow) => ({ id: app.id, name: app.name, clientId: app.client_id, redirectUri: app.redirect_uri, createdAt: app.created_at });

export async function listApps(deps: ProjectsDeps, access: OrgAccess) {
  requireOrgAdmin(access);
  const { db } = await openSpace(deps, access.org);
  return (await createOAuthRepository(db).listApps(access.org.id)).map(presentApp);
}

export async function registerApp(deps: ProjectsDeps, access: OrgAccess, input: { name: string; redirectUri: string }) {
  requireOrgAdmin(access);
  const { db } = await openSpace(deps, access.org);
  const clientSecret = randomToken(32);
  const app = await createOAuthRepository(db).insertApp({
    org_id: access.org.id,
    name: input.name,
    client_id: randomToken(18),
    client_secret_hash: hashToken(clientSecret),
    redirect_uri: input.redirectUri,
    created_by: access.account.id,
    created_at: deps.kernel.clock.now().toISOString(),
  });
  return { ...presentApp(app), clientSecret };
}

/** Deleting an app revokes its codes and tokens with it (foreign keys cascade). */
export async function deleteApp(deps: ProjectsDeps, access: OrgAccess, appId: number) {
  requireOrgAdmin(access);
  const { db } = await openSpace(deps, access.org);
  const repo = createOAuthRepository(db);
  const app = await repo.findApp(access.org.id, appId);
  if (!app) throw notFound('oauth.app_not_found', 'No such OAuth app.');
  await repo.deleteApp(access.org.id, app.id);
  return presentApp(app);
}

// ---- Authorization (consent page) ----

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string | undefined;
  state: string | undefined;
}

/** Checks the app and redirect URI (exact match) and that the signed-in account belongs to the app's org. */
export async function checkAuthorization(deps: ProjectsDeps, principal: AccountPrincipal, request: AuthorizationRequest) {
  const found = await findApp(deps, request.clientId);
  if (!found) throw badRequest('oauth.invalid_client', 'Unknown client_id.');
  const redirectUri = request.redirectUri ?? found.app.redirect_uri;
  if (redirectUri !== found.app.redirect_uri) throw badRequest('oauth.invalid_redirect_uri', 'redirect_uri does not match the registered one.');
  const access = await resolveOrgAccess(deps.identity.deps, principal, found.app.org_id);
  return { ...found, access, redirectUri };
}

export async function issueCode(deps: ProjectsDeps, db: Kysely<ProjectsDb>, app: OAuthAppRow, accountId: string, redirectUri: string): Promise<string> {
  const code = randomToken(32);
  const expires = new Date(deps.kernel.clock.now().getTime() + CODE_TTL_MS).toISOString();
  await createOAuthRepository(db).insertCode({ code_hash: hashToken(code), org_id: app.org_id, app_id: app.id, account_id: accountId, redirect_uri: redirectUri, expires_at: expires, used_at: null });
  return code;
}

// ---- Token endpoint ----

export interface TokenRequest {
  grant_type: string;
  client_id?: string | undefined;
  client_secret?: string | undefined;
  code?: string | undefined;
  redirect_uri?: string | undefined;
  refresh_token?: string | undefined;
}

async function authenticateClient(deps: ProjectsDeps, form: TokenRequest) {
  const found = form.client_id ? await findApp(deps, form.client_id) : null;
  if (!found || !form.client_secret || !safeEqual(hashToken(form.client_secret), found.app.client_secret_hash)) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed.');
  }
  return found;
}

async function issueTokens(deps: ProjectsDeps, db: Kysely<ProjectsDb>, app: OAuthAppRow, accountId: string) {
  const now = deps.kernel.clock.now();
  const accessToken = randomToken(32);
  const refreshToken = randomToken(32);
  await createOAuthRepository(db).insertToken({
    org_id: app.org_id,
    app_id: app.id,
    account_id: accountId,
    access_hash: hashToken(accessToken),
    access_expires_at: new Date(now.getTime() + ACCESS_TTL_SECONDS * 1000).toISOString(),
    refresh_hash: hashToken(refreshToken),
    refresh_expires_at: new Date(now.getTime() + REFRESH_TTL_MS).toISOString(),
    created_at: now.toISOString(),
    revoked_at: null,
  });
  return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TTL_SECONDS, refresh_token: refreshToken };
}

const invalidGrant = (message: string) => new OAuthError(400, 'invalid_grant', message);

export async function exchangeToken(deps: ProjectsDeps, form: TokenRequest) {
  if (form.grant_type !== 'authorization_code' && form.grant_type !== 'refresh_token') {
    throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
  }
  const { db, app } = await authenticateClient(deps, form);
  const repo = createOAuthRepository(db);
  const now = deps.kernel.clock.now().toISOString();
  if (form.grant_type === 'authorization_code') {
    if (!form.code) throw new OAuthError(400, 'invalid_request', 'code is required.');
    const code = await repo.findCode(hashToken(form.code));
    if (!code || code.app_id !== app.id || code.expires_at <= now) throw invalidGrant('The authorization code is invalid or expired.');
    if ((form.redirect_uri ?? code.redirect_uri) !== code.redirect_uri) throw invalidGrant('redirect_uri does not match the authorization request.');
    if (!(await repo.consumeCode(code.code_hash, now))) throw invalidGrant('The authorization code was already used.');
    await ensureStillMember(deps, code.org_id, code.account_id);
    return issueTokens(deps, db, app, code.account_id);
  }
  if (!form.refresh_token) throw new OAuthError(400, 'invalid_request', 'refresh_token is required.');
  const token = await repo.findByRefresh(hashToken(form.refresh_token));
  if (!token || token.app_id !== app.id || token.refresh_expires_at <= now) throw invalidGrant('The refresh token is invalid or expired.');
  // Rotation: a refresh token works once; replaying a used one is refused.
  if (token.revoked_at || !(await repo.revoke(token.id, now))) throw invalidGrant('The refresh token was already used.');
  await ensureStillMember(deps, token.org_id, token.account_id);
  return issueTokens(deps, db, app, token.account_id);
}

async function ensureStillMember(deps: ProjectsDeps, orgId: string, accountId: string) {
  const members = await deps.identity.listOrgMembers(orgId);
  if (!members.some((m) => m.accountId === accountId)) throw invalidGrant('The user no longer belongs to this organization.');
}

/** `Authorization: Bearer` on `/api/v2`: a live access token → the account and org it acts for. */
export async function resolveBearer(deps: ProjectsDeps, secret: string): Promise<{ accountId: string; orgId: string; apiKeyId: string } | null> {
  const hash = hashToken(secret);
  const now = deps.kernel.clock.now().toISOString();
  for (const db of await allStores(deps)) {
    const token: OAuthTokenRow | undefined = await createOAuthRepository(db).findByAccess(hash);
    if (!token) continue;
    if (token.revoked_at || token.access_expires_at <= now) return null;
    return { accountId: token.account_id, orgId: token.org_id, apiKeyId: `oauth:${token.id}` };
  }
  return null;
}
