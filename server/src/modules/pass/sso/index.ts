/** Single sign-on (W6.7, W8.3, W13.1): SAML 2.0 SP and OIDC RP per org, test connection, enforcement. */
import { ssoAdminRoutes } from './sso.routes';
import { ssoPublicRoutes } from './sso.public';
import { passwordSignInGuard } from './sso.enforcement';
import { SSO_PREFIX, ssoRepo, type SsoDeps } from './sso.deps';
import { metadataRefreshJob } from './sso.metadata-refresh';

export { SSO_PREFIX, type SsoDeps } from './sso.deps';
export type { SsoDb, VerifiedDomainsView } from './sso.db';
export * as createSsoMigration from './migrations/20261125T2310-create-sso';
export * as ssoSloMetadataMigration from './migrations/20261207T2350-sso-slo-metadata';

/** Wires SSO into the pass module: admin routes under /api/v1, browser routes under /sso, the password guard. */
export function createSso(deps: SsoDeps) {
  deps.identity.externalSignIn.setPasswordSignInGuard(passwordSignInGuard(deps));
  return {
    routes: ssoAdminRoutes(deps),
    mount: { prefix: SSO_PREFIX, plugin: ssoPublicRoutes(deps) },
    /** Expired sign-in requests and replay-cache entries. */
    sweep: (now: Date) => ssoRepo(deps).deleteExpired(now.toISOString()),
    purgeOrganization: (orgId: string) => ssoRepo(deps).deleteOrg(orgId),
    /** The SSO session records of a deleted account (they hold the IdP's NameID). */
    purgeAccount: (accountId: string) => ssoRepo(deps).deleteSsoSessionsOfAccount(accountId),
    /** Metadata-by-URL refresh with the certificate-change alert (issue 13 §7). */
    jobs: [metadataRefreshJob(deps)],
  };
}
