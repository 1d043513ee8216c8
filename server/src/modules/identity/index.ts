import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Kernel, ModuleDefinition } from '../../kernel/module';
import { accountRoutes } from './account.routes';
import { authRoutes } from './auth.routes';
import { identityStoreSpec, type IdentityDb } from './identity.db';
import type { IdentityDeps } from './identity.deps';
import { identityJobs } from './identity.jobs';
import { DELETED_USER } from './identity.presenter';
import { identityRepositories } from './identity.repositories';
import { invitationRoutes } from './invitations.routes';
import { orgRoutes } from './orgs.routes';
import { identityAuthenticators } from './session-cookies';

export { resolveOrgAccess } from './orgs.service';
export type { OrgAccess } from './identity.policy';

/** What other modules may ask of identity. */
export interface IdentityApi {
  /** Display names for authored content; deleted accounts read "deleted user" (W4.11). */
  accountSummaries(ids: readonly string[]): Promise<Map<string, { name: string; deleted: boolean }>>;
  /** Org metadata for operators: never content (W2.1). */
  listOrganizationsMetadata(): Promise<{ id: string; name: string; createdAt: string; planState: string; memberCount: number }[]>;
  readonly deps: IdentityDeps;
}

export async function createIdentityModule(kernel: Kernel): Promise<{ definition: ModuleDefinition; api: IdentityApi }> {
  const store = await kernel.stores.open<IdentityDb>(identityStoreSpec(kernel.config));
  const deps: IdentityDeps = { kernel, db: store.db as Kysely<IdentityDb> };
  const repos = () => identityRepositories(deps.db);

  const api: IdentityApi = {
    deps,
    async accountSummaries(ids) {
      const rows = await repos().accounts.findSummaries(ids);
      return new Map(rows.map((r) => [r.id, { name: r.deleted_at ? DELETED_USER : (r.name ?? DELETED_USER), deleted: r.deleted_at !== null }]));
    },
    async listOrganizationsMetadata() {
      const orgs = await repos().orgs.listAll();
      return Promise.all(
        orgs.map(async (org) => ({
          id: org.id,
          name: org.name,
          createdAt: org.created_at,
          planState: org.plan_state,
          memberCount: await repos().orgs.countMembers(org.id),
        })),
      );
    },
  };

  const definition: ModuleDefinition = {
    name: 'identity',
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
