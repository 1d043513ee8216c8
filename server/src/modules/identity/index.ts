import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { RequestMeta, SessionPrincipal } from '../../kernel/http/request-context';
import type { OrgAccess } from './identity.policy';
import type { Kernel, ModuleDefinition } from '../../kernel/module';
import { accountRoutes } from './account.routes';
import { resolveApiKey } from './api-keys.service';
import { authRoutes } from './auth.routes';
import { identityStoreSpec, type IdentityDb } from './identity.db';
import type { IdentityDeps } from './identity.deps';
import { identityLifecycleApi, purgeIdentityOrganization, type IdentityLifecycleApi } from './identity.purge';
import { identityJobs } from './identity.jobs';
import { externalSignInApi, type ExternalSignInApi } from './external-sign-in.service';
import { DELETED_USER } from './identity.presenter';
import { identityRepositories } from './identity.repositories';
import { invitationRoutes } from './invitations.routes';
import { managedAccountsApi, managedConversionApi, type ManagedAccountsApi, type ManagedConversionApi } from './managed-accounts.api';
import { addMemberChangeGuard, type MemberChangeGuard } from './member-guards';
import { orgRoutes } from './orgs.routes';
import { identityAuthenticators, SESSION_COOKIE } from './session-cookies';
import { csrfTokenFor, requireSessionAllowedUnderSso, resolveSession } from './sessions.service';
import { memberTeamsApi, teamsApi, type MemberTeamsApi, type TeamsApi } from './teams.api';

export { resolveOrgAccess } from './orgs.service';
export type { OrgAccess } from './identity.policy';
export type { ManagedAccount, ManagedAccountActor } from './managed-accounts.service';
export type { MemberChange, MemberChangeGuard } from './member-guards';
export type { ExternalSignInApi, OrgAdminFacts, SsoAccountFacts } from './external-sign-in.service';
export type { PasswordPath, PasswordSignInAttempt, PasswordSignInGuard, PasswordVerdict } from './password-guard';
export type { MemberTeamsApi, OrgTeam, TeamsApi } from './teams.api';
export { TEAM_CHANGED_EVENT } from './teams.service';

/** What other modules may ask of identity. */
export interface IdentityApi {
  /** Display names for authored content; deleted accounts read "deleted user" (W4.11). */
  accountSummaries(ids: readonly string[]): Promise<Map<string, { name: string; deleted: boolean }>>;
  /** Org metadata for operators: never content (W2.1). */
  listOrganizationsMetadata(): Promise<{ id: string; name: string; createdAt: string; planState: string; memberCount: number }[]>;
  /**
   * A personal API key (`trd_…`) presented to another API surface (the Backlog-compatible `/api/v2`):
   * its account and the org it was issued for, or null when unknown or revoked.
   */
  resolveApiKeyPrincipal(secret: string, meta: RequestMeta | null): Promise<{ accountId: string; orgId: string; apiKeyId: string } | null>;
  /**
   * A live organization by id, for credentials that are not platform accounts (the space-local users
   * of a classic project space): no access check here, the caller has authenticated the user itself.
   */
  findOrganization(orgId: string): Promise<OrgAccess['org'] | null>;
  /**
   * W8.3: throws 403 `auth.sso_required` when a session may not grant new access (OAuth consent)
   * because its address is under SSO enforcement and it was not started through SSO (break-glass admins pass).
   */
  requireSessionAllowedUnderSso(principal: { accountId: string; sessionId: string }, meta: RequestMeta): Promise<void>;
  /** The browser session behind a request's session cookie (the web app calling `/api/v2`), or null. */
  resolveSessionPrincipal(request: FastifyRequest): Promise<SessionPrincipal | null>;
  /**
   * An org's members as other modules may show them. `locale` is for what is sent to the member
   * (their mails, issue 15 §6), never for what is shown to others (`lang` stays the caller's own).
   */
  listOrgMembers(orgId: string): Promise<{ accountId: string; role: 'admin' | 'member' | 'guest'; name: string | null; email: string | null; locale: string }[]>;
  /**
   * W8.3: accounts an org owns (no password; sign-in only through the org's IdP). Used by the pass
   * module's admin API, SSO (JIT provisioning) and SCIM. Every change is audited with the actor kind.
   */
  managedAccounts: ManagedAccountsApi;
  /** Converting an existing member into a managed account with their consent by email, and back. */
  managedConversion: ManagedConversionApi;
  /** Teams for provisioning (SCIM Groups): no caller access checks, the caller audits. */
  teams: TeamsApi;
  /** Teams as an org member acts on them (the Backlog API's `/teams`): identity's own rules and audit. */
  memberTeams: MemberTeamsApi;
  /**
   * A veto over demoting, suspending, removing or deleting an account (pass: the issuer of a live
   * SCIM token). The guard throws an AppError to refuse.
   */
  addMemberChangeGuard(guard: MemberChangeGuard): void;
  /** SSO sign-in (pass): sessions for IdP-vouched accounts, ending sessions, the password sign-in guard. */
  externalSignIn: ExternalSignInApi;
  /** What the lifecycle engine asks of identity for an org, deleted or not (identity.purge.ts). */
  readonly lifecycle: IdentityLifecycleApi;
  /** GET /me shows each org's contract state; lifecycle (which depends on identity) provides it after start-up. */
  setOrgLifecycle(summaries: NonNullable<IdentityDeps['orgLifecycle']>): void;
  readonly deps: IdentityDeps;
}

export async function createIdentityModule(kernel: Kernel): Promise<{ definition: ModuleDefinition; api: IdentityApi }> {
  const store = await kernel.stores.open<IdentityDb>(identityStoreSpec(kernel.config));
  const deps: IdentityDeps = { kernel, db: store.db as Kysely<IdentityDb> };
  const repos = () => identityRepositories(deps.db);

  const api: IdentityApi = {
    deps,
    managedAccounts: managedAccountsApi(deps),
    managedConversion: managedConversionApi(deps),
    externalSignIn: externalSignInApi(deps),
    teams: teamsApi(deps),
    memberTeams: memberTeamsApi(deps),
    addMemberChangeGuard: (guard) => addMemberChangeGuard(kernel, guard),
    lifecycle: identityLifecycleApi(deps),
    setOrgLifecycle(summaries) {
      deps.orgLifecycle = summaries;
    },
    async accountSummaries(ids) {
      const rows = await repos().accounts.findSummaries(ids);
      return new Map(rows.map((r) => [r.id, { name: r.deleted_at ? DELETED_USER : (r.name ?? DELETED_USER), deleted: r.deleted_at !== null }]));
    },
    async resolveApiKeyPrincipal(secret, meta) {
      const key = await resolveApiKey(deps, secret, meta);
      return key ? { accountId: key.account_id, orgId: key.org_id, apiKeyId: key.id } : null;
    },
    requireSessionAllowedUnderSso: (principal, meta) => requireSessionAllowedUnderSso(deps, principal, meta),
    findOrganization: async (orgId) => (await repos().orgs.findById(orgId)) ?? null,
    async resolveSessionPrincipal(request) {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await resolveSession(deps, token) : null;
      return session ? { kind: 'account', via: 'session', accountId: session.account_id, sessionId: session.id, csrfToken: csrfTokenFor(deps, session.id) } : null;
    },
    async listOrgMembers(orgId) {
      const rows = await repos().orgs.listMembers(orgId);
      return rows.map((r) => ({ accountId: r.account_id, role: r.role, name: r.name, email: r.email, locale: r.locale }));
    },
    async listOrganizationsMetadata() {
      const [orgs, memberCounts] = await Promise.all([repos().orgs.listAll(), repos().orgs.countMembersByOrg()]);
      return orgs.map((org) => ({
        id: org.id,
        name: org.name,
        createdAt: org.created_at,
        planState: org.plan_state,
        memberCount: memberCounts.get(org.id) ?? 0,
      }));
    },
  };

  const definition: ModuleDefinition = {
    name: 'identity',
    stores: async () => [store],
    // Org purge (W4.1): memberships, teams, invitations, keys; managed accounts become tombstones.
    purgeOrganization: (orgId, o) => purgeIdentityOrganization(deps, store.region, orgId, o.batchSize),
    authenticators: identityAuthenticators(deps),
    jobs: identityJobs(deps),
    routes: async (app: FastifyInstance) => {
      await app.register(authRoutes(deps));
      await app.register(accountRoutes(deps));
      await app.register(orgRoutes(deps));
      await app.register(invitationRoutes(deps));
    },
    async describe(orgId) {
      const r = repos();
      return [
        {
          module: 'identity',
          region: store.region,
          kinds: [
            { kind: 'members', rows: await r.orgs.countMembers(orgId) },
            { kind: 'teams', rows: await r.orgs.countTeams(orgId) },
          ],
        },
      ];
    },
  };
  return { definition, api };
}
