import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { AccountPrincipal, RequestMeta, SessionPrincipal } from '../../kernel/http/request-context';
import type { Kernel } from '../../kernel/module';
import { resolveOrgAccess, type IdentityApi, type OrgAccess } from '../identity';
import { projectsStoreSpec, type ProjectsDb, type SpaceRow } from './projects.db';
import { createSpacesRepository } from './spaces.repository';
import { createRestrictionsRepository } from './roles/restrictions.repository';
import type { SpaceRestriction } from './roles/roles.db';
import { createClassicRepository } from './classic/classic.repository';
import { isClassicAccount, type ClassicUserRow } from './classic/classic.db';

export interface ProjectsDeps {
  readonly kernel: Kernel;
  readonly identity: IdentityApi;
  /** orgId → region, filled on first use; a binding never changes, so the cache never goes stale. */
  readonly regionCache: Map<string, string>;
}

/**
 * Backlog's NormalRoleType for an organization's space: admin 1; member and guest 2; restricted by an
 * admin to "add issues only" 3 or "view only" 4 (issue 3 §1, roles/).
 */
export type RoleType = 1 | 2 | 3 | 4;

/** Admins are never restricted; a restriction turns a member or guest into roleType 3 or 4. */
export const roleTypeOf = (role: 'admin' | 'member' | 'guest', restriction: SpaceRestriction | null): RoleType =>
  role === 'admin' ? 1 : restriction === 'add_issues_only' ? 3 : restriction === 'view_only' ? 4 : 2;

/** Who is calling, inside which space: resolved once per request. */
export interface Caller {
  readonly orgId: string;
  readonly access: OrgAccess;
  readonly db: Kysely<ProjectsDb>;
  readonly space: SpaceRow;
  readonly userId: number;
  readonly roleType: RoleType;
  readonly isGuest: boolean;
  /** The personal API key used, or null for the web app's session cookie (see `backlog-api/plugin.ts`). */
  readonly apiKeyId: string | null;
  /** For audit entries: IP, user agent, request id. */
  readonly meta: RequestMeta;
  /**
   * Set when a space-local user of a classic space calls (classic/): their ClassicRoleType 1–6, of
   * which `roleType`/`isGuest` above are the grants (projects.policy `CLASSIC_ROLE_GRANTS`).
   */
  readonly classic?: { readonly roleType: 1 | 2 | 3 | 4 | 5 | 6; readonly sessionId: string | null };
}

/** W3.2: orgs created in Japanese keep their projects in Tokyo, English ones in Oregon (configurable). */
export const projectsRegionFor = (config: Config, locale: string) => (locale === 'ja' ? config.regionProjectsJa : config.regionProjectsEn);

/**
 * The space key is derived from the org id (its random tail), lower-case like Backlog's subdomain
 * keys, so it is stable and never reveals the org's name.
 */
export const spaceKeyFor = (orgId: string) => `t${orgId.replace(/[^0-9a-f]/gi, '').slice(-12).toLowerCase()}`;

/**
 * Opens (lazily, per region) the store that holds the org's space, creating the space on first use.
 * The region is fixed then: it is written into the space row and, because the org's locale never
 * changes, every later call lands in the same store.
 */
export async function openSpace(deps: ProjectsDeps, org: { id: string; locale: string }): Promise<{ db: Kysely<ProjectsDb>; space: SpaceRow }> {
  const region = deps.regionCache.get(org.id) ?? projectsRegionFor(deps.kernel.config, org.locale);
  const store = await deps.kernel.stores.open<ProjectsDb>(projectsStoreSpec(region));
  const repo = createSpacesRepository(store.db);
  let space = await repo.findSpace(org.id);
  if (!space) {
    await repo.insertSpace({ org_id: org.id, space_key: spaceKeyFor(org.id), region, created_at: deps.kernel.clock.now().toISOString() });
    space = await repo.findSpace(org.id);
    if (!space) throw new Error(`space of org ${org.id} vanished after insert`);
  }
  deps.regionCache.set(org.id, space.region);
  return { db: store.db, space };
}

/** The numeric space-user id of an account, assigned on first sight. */
export async function spaceUserIdOf(db: Kysely<ProjectsDb>, orgId: string, accountId: string, at: string): Promise<number> {
  const repo = createSpacesRepository(db);
  const existing = await repo.findUserByAccount(orgId, accountId);
  if (existing) return existing.id;
  await repo.insertUser(orgId, accountId, at);
  const created = await repo.findUserByAccount(orgId, accountId);
  if (!created) throw new Error('space user vanished after insert');
  return created.id;
}

/**
 * Resolves an API key's account in its org (membership, 2FA rule) and maps it into the space. A web
 * session names the org itself (the `X-Toride-Org` header) and must be a member of it.
 */
export async function resolveCaller(
  deps: ProjectsDeps,
  key: { accountId: string; orgId: string; apiKeyId: string } | { accountId: string; orgId: string; session: SessionPrincipal },
  meta: RequestMeta,
): Promise<Caller> {
  const principal: AccountPrincipal = 'session' in key ? key.session : { kind: 'account', via: 'api_key', ...key };
  const access = await resolveOrgAccess(deps.identity.deps, principal, key.orgId);
  const { db, space } = await openSpace(deps, access.org);
  const userId = await spaceUserIdOf(db, access.org.id, access.account.id, deps.kernel.clock.now().toISOString());
  const role = access.membership.role;
  const restriction = role === 'admin' ? null : await createRestrictionsRepository(db).find(access.org.id, access.account.id);
  return { orgId: access.org.id, access, db, space, userId, roleType: roleTypeOf(role, restriction), isGuest: role === 'guest', apiKeyId: 'apiKeyId' in key ? key.apiKeyId : null, meta };
}

export interface SpaceUser {
  readonly id: number;
  readonly accountId: string;
  readonly name: string;
  readonly email: string | null;
  /** NormalRoleType 1–4, or ClassicRoleType 1–6 for the space-local users of a classic space (classic/). */
  readonly roleType: RoleType | 5 | 6;
  /** False once the account has left the org: its authored content stays, attributed to it (W4.11). */
  readonly active: boolean;
  /** A classic user's own `userId` (login id); platform accounts have none. */
  readonly loginId?: string;
  /** The language mails to this user are written in (their account's; a classic user's org's). */
  readonly locale?: string;
}

/** Every numbered user of the space with what identity says about them today. */
export async function loadSpaceUsers(deps: ProjectsDeps, caller: Caller): Promise<Map<number, SpaceUser>> {
  const repo = createSpacesRepository(caller.db);
  const members = await deps.identity.listOrgMembers(caller.orgId);
  const now = deps.kernel.clock.now().toISOString();
  // Members never seen by this space get their number now, so `GET /users` lists everyone.
  const rows = await repo.listUsers(caller.orgId);
  const known = new Set(rows.map((r) => r.account_id));
  for (const member of members) if (!known.has(member.accountId)) await repo.insertUser(caller.orgId, member.accountId, now);
  const all = known.size === members.length && members.every((m) => known.has(m.accountId)) ? rows : await repo.listUsers(caller.orgId);
  const byAccount = new Map(members.map((m) => [m.accountId, m]));
  const restrictions = new Map((await createRestrictionsRepository(caller.db).list(caller.orgId)).map((r) => [r.account_id, r.restriction]));
  const missing = all.filter((r) => !byAccount.has(r.account_id) && !isClassicAccount(r.account_id)).map((r) => r.account_id);
  const classic = all.some((r) => isClassicAccount(r.account_id))
    ? new Map((await createClassicRepository(caller.db).listUsers(caller.orgId)).map((u) => [u.space_user_id, u]))
    : new Map<number, ClassicUserRow>();
  const former = missing.length ? await deps.identity.accountSummaries(missing) : new Map<string, { name: string }>();
  return new Map(
    all.map((row) => {
      const member = byAccount.get(row.account_id);
      const local = classic.get(row.id);
      if (local) return [row.id, { id: row.id, accountId: row.account_id, name: local.name, email: local.mail_address, roleType: local.role_type, active: true, loginId: local.login_id, locale: caller.access.org.locale }];
      const user: SpaceUser = member
        ? { id: row.id, accountId: row.account_id, name: member.name ?? member.email ?? `user ${row.id}`, email: member.email, roleType: roleTypeOf(member.role, restrictions.get(row.account_id) ?? null), active: true, locale: member.locale }
        : { id: row.id, accountId: row.account_id, name: former.get(row.account_id)?.name ?? 'deleted user', email: null, roleType: 2, active: false };
      return [row.id, user];
    }),
  );
}
