import { passCommands } from './pass.commands';
import { purgeAuditOrganization, purgePassOrganization } from './pass.purge';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuditSink } from '../../kernel/audit';
import type { Clock } from '../../kernel/clock';
import { defineJob } from '../../kernel/jobs';
import type { Kernel, ModuleDefinition } from '../../kernel/module';
import type { Store, StoreRegistry } from '../../kernel/store';
import type { Config } from '../../config';
import type { IdentityApi } from '../identity';
import { createAuditPushRepository } from './audit-push/audit-push.repository';
import { auditPushRoutes } from './audit-push/audit-push.routes';
import { deliverDuePushes } from './audit-push/audit-push.service';
import { auditStoreSpec, type AuditDb } from './audit.db';
import { createAuditRepository } from './audit.repository';
import { passStoreSpec, type PassDb } from './pass.db';
import { domainRoutes } from './domains/domains.routes';
import { managedAccountRoutes } from './managed-accounts/managed-accounts.routes';
import { auditRoutes } from './audit.routes';
import { createScimDeps, SCIM_PREFIX } from './scim/scim.deps';
import { scimApi } from './scim/scim.plugin';
import { renderScimFrameworkError } from './scim/scim-errors';
import { issuerGuard } from './scim/scim-tokens.service';
import { scimTokenRoutes } from './scim/scim-tokens.routes';
import { createSso } from './sso';
import { chainKeyOf, createAuditWriter, erasePersonalData, purgeExpiredAudit, type AuditDeps } from './audit.service';

export { describeVerification, verifyChainLines, type VerifyResult } from './audit-chain';

/**
 * Pass: the enterprise layer. So far the audit log (issue 4 §6): its own store in the audit region,
 * per-org hash chains, search, streamed export, 400-day retention.
 */
export interface AuditStore {
  readonly store: Store<AuditDb>;
  readonly sink: AuditSink;
  readonly deps: AuditDeps;
}

/**
 * Opened before the kernel is assembled, because the kernel's audit sink is this store's writer;
 * the module's routes and jobs come later, once identity exists.
 */
export async function openAuditStore(config: Config, stores: StoreRegistry, clock: Clock): Promise<AuditStore> {
  const store = await stores.open<AuditDb>(auditStoreSpec(config));
  const deps: AuditDeps = { repo: createAuditRepository(store.db as Kysely<AuditDb>), clock };
  return { store, deps, sink: createAuditWriter(deps) };
}

export async function createPassModule(kernel: Kernel, identity: IdentityApi, audit: AuditStore): Promise<{ definition: ModuleDefinition }> {
  const passStore = await kernel.stores.open<PassDb>(passStoreSpec(kernel.config));
  const passDb = passStore.db as Kysely<PassDb>;
  const deps = { ...audit.deps, kernel, identity, passDb };
  const pushDeps = { kernel, identity, audit: audit.deps, repo: createAuditPushRepository(passDb) };
  const scimDeps = createScimDeps(kernel, identity, passDb);
  identity.addMemberChangeGuard(issuerGuard(scimDeps));
  const sso = createSso({ kernel, identity, passDb });
  return {
    definition: {
      name: 'pass',
      commands: passCommands,
      stores: async () => [passStore, audit.store],
      // Org purge (W4.1): the org's audit trail, then the pass tables; the audit trail alone when the pass contract ends (W4.6).
      purgeOrganization: (orgId, o) => purgePassOrganization({ pass: passStore, audit: audit.store }, orgId, o.batchSize),
      purgeAudit: (orgId, o) => purgeAuditOrganization(audit.store, orgId, o.batchSize),
      routes: async (app: FastifyInstance) => {
        await app.register(auditRoutes(deps));
        await app.register(auditPushRoutes(pushDeps));
        await app.register(domainRoutes({ kernel, identity, passDb }));
        await app.register(scimTokenRoutes({ ...scimDeps, admin: { kernel, identity, passDb } }));
        await app.register(managedAccountRoutes({ kernel, identity, passDb }));
        await app.register(sso.routes);
      },
      mounts: [{ prefix: SCIM_PREFIX, plugin: scimApi(scimDeps), errors: renderScimFrameworkError }, sso.mount],
      jobs: [
        defineJob({
          name: 'pass.audit-push',
          schedule: '* * * * *',
          run: async ({ logger }) => {
            const result = await deliverDuePushes(pushDeps);
            if (result.delivered > 0 || result.failed > 0) logger.info(result, 'audit push');
          },
        }),
        defineJob({
          name: 'pass.sso-sweep',
          schedule: '*/10 * * * *',
          run: async ({ now }) => sso.sweep(now),
        }),
        ...sso.jobs,
        defineJob({
          name: 'pass.audit-retention',
          schedule: '15 3 * * *',
          run: async ({ now, logger }) => {
            const result = await purgeExpiredAudit(audit.deps, now);
            if (result.purged > 0) logger.info(result, 'purged expired audit entries');
          },
        }),
      ],
      async purgeAccount(accountId, known) {
        await erasePersonalData(audit.deps, accountId, known.email);
        await scimDeps.repo.deleteUserEverywhere(accountId);
        await sso.purgeAccount(accountId);
      },
      async describe(orgId) {
        return [{ module: 'audit', region: audit.store.region, kinds: [{ kind: 'audit_events', rows: await audit.deps.repo.countForOrg(chainKeyOf(orgId)) }] }];
      },
    },
  };
}
