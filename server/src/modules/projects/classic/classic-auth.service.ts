import type { Kysely } from 'kysely';
import { DAY, HOUR, MINUTE } from '../../../kernel/clock';
import { hashToken, newId, randomToken } from '../../../kernel/crypto';
import { forbidden, notFound } from '../../../kernel/errors';
import type { RequestMeta } from '../../../kernel/http/request-context';
import type { OrgAccess } from '../../identity';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { CLASSIC_ROLE_GRANTS } from '../projects.policy';
import { openSpace, type Caller, type ProjectsDeps } from '../spaces.service';
import { createSpacesRepository } from '../spaces.repository';
import { createClassicCredentialsRepository } from './classic-credentials.repository';
import type { ClassicApiKeyRow, ClassicUserRow } from './classic.db';
import { createClassicRepository } from './classic.repository';

/** Shorter than the platform's sessions (14 d idle / 90 d): a classic user has no second factor. */
export const CLASSIC_SESSION_IDLE_MS = 12 * HOUR;
export const CLASSIC_SESSION_ABSOLUTE_MS = 30 * DAY;
const TOUCH_EVERY_MS = MINUTE;

/** `trc_<prefix>_<secret>`: a different shape from identity's `trd_` keys, so `/api/v1` never accepts one. */
const KEY_PATTERN = /^trc_([A-Za-z0-9_-]{8})_[A-Za-z0-9_-]{20,}$/;
export const looksLikeClassicKey = (value: string) => KEY_PATTERN.test(value);

/** Where a classic credential was found: the store of the space it belongs to. */
interface Located {
  readonly db: Kysely<ProjectsDb>;
  readonly orgId: string;
  readonly spaceUserId: number;
}

const regionsOf = (deps: ProjectsDeps) => [...new Set([deps.kernel.config.regionProjectsJa, deps.kernel.config.regionProjectsEn])];
const openRegion = async (deps: ProjectsDeps, region: string) => (await deps.kernel.stores.open<ProjectsDb>(projectsStoreSpec(region))).db;

/** The CSRF token of a classic session, derived like the platform's so nothing more is stored. */
export const classicCsrfToken = (deps: ProjectsDeps, sessionId: string) => deps.kernel.secrets.mac(`classic-csrf:${sessionId}`);

export async function issueClassicSession(deps: ProjectsDeps, db: Kysely<ProjectsDb>, user: ClassicUserRow) {
  const now = deps.kernel.clock.now();
  const token = randomToken(32);
  const id = newId();
  const repo = createClassicCredentialsRepository(db);
  // Ended sessions go at the user's next sign-in, so they never pile up (no sweeper job needed).
  await repo.deleteEndedSessionsOf(user.org_id, user.space_user_id, now.toISOString(), new Date(now.getTime() - CLASSIC_SESSION_ABSOLUTE_MS).toISOString());
  await repo.insertSession({
    id,
    org_id: user.org_id,
    space_user_id: user.space_user_id,
    token_hash: hashToken(token),
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + CLASSIC_SESSION_IDLE_MS).toISOString(),
  });
  return { sessionId: id, token, csrfToken: classicCsrfToken(deps, id) };
}

/** A session cookie's session, extending its idle window up to the absolute cap; null when over. */
export async function resolveClassicSession(deps: ProjectsDeps, token: string): Promise<(Located & { sessionId: string }) | null> {
  const now = deps.kernel.clock.now();
  const digest = hashToken(token);
  for (const region of regionsOf(deps)) {
    const db = await openRegion(deps, region);
    const repo = createClassicCredentialsRepository(db);
    const session = await repo.findActiveSession(digest, now.toISOString());
    if (!session) continue;
    const absoluteEnd = new Date(session.created_at).getTime() + CLASSIC_SESSION_ABSOLUTE_MS;
    if (absoluteEnd <= now.getTime()) return null;
    if (now.getTime() - new Date(session.last_seen_at).getTime() > TOUCH_EVERY_MS) {
      await repo.touchSession(session.id, now.toISOString(), new Date(Math.min(now.getTime() + CLASSIC_SESSION_IDLE_MS, absoluteEnd)).toISOString());
    }
    return { db, orgId: session.org_id, spaceUserId: session.space_user_id, sessionId: session.id };
  }
  return null;
}

export async function endClassicSession(db: Kysely<ProjectsDb>, orgId: string, sessionId: string) {
  await createClassicCredentialsRepository(db).deleteSession(orgId, sessionId);
}

/** A classic API key presented to `/api/v2`; records its use at most once a minute. */
export async function resolveClassicApiKey(deps: ProjectsDeps, secret: string): Promise<(Located & { apiKeyId: string }) | null> {
  if (!looksLikeClassicKey(secret)) return null;
  const digest = hashToken(secret);
  const now = deps.kernel.clock.now();
  for (const region of regionsOf(deps)) {
    const db = await openRegion(deps, region);
    const repo = createClassicCredentialsRepository(db);
    const key = await repo.findApiKeyByHash(digest);
    if (!key) continue;
    if (!key.last_used_at || now.getTime() - new Date(key.last_used_at).getTime() > TOUCH_EVERY_MS) await repo.touchApiKey(key.id, now.toISOString());
    return { db, orgId: key.org_id, spaceUserId: key.space_user_id, apiKeyId: key.id };
  }
  return null;
}

/** Backlog's guests have no personal settings (anchors §1.1), so no API keys of their own. */
function requireKeyOwner(user: ClassicUserRow) {
  if (CLASSIC_ROLE_GRANTS[user.role_type].isGuest) throw forbidden('Guest users have no personal API keys.', 'classic.forbidden');
}

export async function createClassicApiKey(deps: ProjectsDeps, db: Kysely<ProjectsDb>, user: ClassicUserRow, name: string) {
  requireKeyOwner(user);
  const prefix = randomToken(6).slice(0, 8);
  const secret = `trc_${prefix}_${randomToken(32)}`;
  const row: ClassicApiKeyRow = {
    id: newId(),
    org_id: user.org_id,
    space_user_id: user.space_user_id,
    name: name.trim(),
    prefix,
    key_hash: hashToken(secret),
    created_at: deps.kernel.clock.now().toISOString(),
    last_used_at: null,
  };
  await createClassicCredentialsRepository(db).insertApiKey(row);
  return { row, secret };
}

export const listClassicApiKeys = (db: Kysely<ProjectsDb>, user: ClassicUserRow) => createClassicCredentialsRepository(db).listApiKeys(user.org_id, user.space_user_id);

export async function revokeClassicApiKey(db: Kysely<ProjectsDb>, user: ClassicUserRow, keyId: string) {
  if (!(await createClassicCredentialsRepository(db).deleteApiKey(user.org_id, user.space_user_id, keyId))) throw notFound('api_key.not_found', 'API key not found.');
}

/** A deleted user, an admin-set password or a password change ends credentials (keep = the current session). */
export async function endClassicCredentials(db: Kysely<ProjectsDb>, orgId: string, spaceUserId: number, options: { keepSession?: string | null; keys?: boolean } = {}) {
  const repo = createClassicCredentialsRepository(db);
  await repo.deleteSessionsOf(orgId, spaceUserId, options.keepSession ?? null);
  if (options.keys) await repo.deleteApiKeysOf(orgId, spaceUserId);
}

/** The classic user behind a located credential, or null when the user or the org is gone. */
export async function classicUserOf(deps: ProjectsDeps, located: Located) {
  const user = await createClassicRepository(located.db).findUser(located.orgId, located.spaceUserId);
  const org = user ? await deps.identity.findOrganization(located.orgId) : null;
  return user && org ? { user, org } : null;
}

/**
 * The request's Caller for a space-local user. They are no platform account: `access` describes them
 * in the shape the projects code reads (name, e-mail, locale for presenters and audit; the actor id is
 * their `classic:` space-user account id), with no platform membership behind it.
 */
export async function classicCaller(
  deps: ProjectsDeps,
  located: Located,
  credential: { apiKeyId: string | null; sessionId: string | null },
  meta: RequestMeta,
): Promise<Caller | null> {
  const found = await classicUserOf(deps, located);
  if (!found) return null;
  const { user, org } = found;
  const { db, space } = await openSpace(deps, org);
  const spaceUser = await createSpacesRepository(db).findUserById(org.id, user.space_user_id);
  if (!spaceUser) return null;
  const grants = CLASSIC_ROLE_GRANTS[user.role_type];
  const access: OrgAccess = {
    org,
    account: {
      id: spaceUser.account_id,
      email: user.mail_address,
      email_verified_at: null,
      name: user.name,
      locale: org.locale,
      password_hash: null,
      totp_secret: null,
      totp_pending_secret: null,
      totp_enabled_at: null,
      totp_last_counter: null,
      password_changed_at: null,
      created_at: user.created_at,
      deleted_at: null,
      managed_org_id: org.id,
      external_id: null,
      suspended_at: null,
      updated_at: user.updated_at,
    },
    membership: {
      org_id: org.id,
      account_id: spaceUser.account_id,
      role: user.role_type === 1 ? 'admin' : grants.isGuest ? 'guest' : 'member',
      can_invite: 0,
      can_read_audit: 0,
      created_at: user.created_at,
    },
  };
  return {
    orgId: org.id,
    access,
    db,
    space,
    userId: user.space_user_id,
    roleType: grants.roleType,
    isGuest: grants.isGuest,
    apiKeyId: credential.apiKeyId,
    meta,
    classic: { roleType: user.role_type, sessionId: credential.sessionId },
  };
}
