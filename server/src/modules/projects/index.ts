import type { Kernel, ModuleDefinition } from '../../kernel/module';
import type { IdentityApi } from '../identity';
import { backlogApi } from './backlog-api/plugin';
import { renderBacklogFrameworkError } from './backlog-api/backlog-errors';
import { oauthAdminRoutes, oauthPublicRoutes } from './oauth/index';
import { restrictionRoutes } from './roles/index';
import { classicAdminRoutes, classicSignInRoutes } from './classic/index';
import type { ProjectsDeps } from './spaces.service';
import { projectsStoreSpec } from './projects.db';
import { projectsRegions, purgeProjectsOrganization } from './projects.purge';
import { subscribeWebhooks, webhookJobs } from './webhooks/index';

export { projectsRegionFor, spaceKeyFor } from './spaces.service';

/**
 * Projects (issue 3): a project space per org in the org's projects region (W3.2), served so far
 * through the Backlog-API-v2-compatible surface at `/api/v2`. Stores open lazily, per region, on
 * an org's first request.
 */
export function createProjectsModule(kernel: Kernel, identity: IdentityApi): { definition: ModuleDefinition } {
  const deps: ProjectsDeps = { kernel, identity, regionCache: new Map() };
  subscribeWebhooks();
  return {
    definition: {
      name: 'projects',
      // Every region's store, opened now if no request has opened it yet: the census counts them all (W4.1).
      stores: () => Promise.all(projectsRegions(kernel).map((region) => kernel.stores.open(projectsStoreSpec(region)))),
      purgeOrganization: (orgId, o) => purgeProjectsOrganization(kernel, orgId, o.batchSize),
      // Native `/api/v1` routes: OAuth apps and space restrictions, both for org admins.
      routes: async (app) => {
        await app.register(oauthAdminRoutes(deps));
        await app.register(restrictionRoutes(deps));
        await app.register(classicAdminRoutes(deps));
        await app.register(classicSignInRoutes(deps));
      },
      mounts: [
        { prefix: '/api/v2', plugin: backlogApi(deps), errors: renderBacklogFrameworkError },
        // OAuth 2.0: the consent page `/OAuth2AccessRequest.action` and `POST /api/v2/oauth2/token`.
        { prefix: '', plugin: oauthPublicRoutes(deps) },
      ],
      jobs: webhookJobs(deps),
    },
  };
}
