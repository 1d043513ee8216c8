import type { Kysely } from 'kysely';
import { defineJob } from '../../kernel/jobs';
import type { Kernel, ModuleDefinition } from '../../kernel/module';
import type { IdentityLifecycleApi, LifecycleDeps, PurgeTarget } from './lifecycle.deps';
import { lifecycleStoreSpec, type LifecycleDb } from './lifecycle.db';
import { lifecycleRepository } from './lifecycle.repository';
import { lifecycleRoutes } from './lifecycle.routes';
import { createLifecycleService, type LifecycleService } from './lifecycle.service';
import { createPurgeEngine, type PurgeEngine } from './purge.service';
import { loadReceiptSigner, verifyReceipt, type ReceiptSigner } from './receipts';

export type { IdentityLifecycleApi } from './lifecycle.deps';
export { SERVICES, STATES, type ContractState, type Service } from './lifecycle.db';
export { computeDeadlines, RULES, timelineOf, type TimelineEvent } from './schedule';
export { RECEIPT_FORMAT, verifyReceipt, type DeletionReceipt, type ReceiptFile } from './receipts';

export interface LifecycleApi {
  readonly service: LifecycleService;
  readonly engine: PurgeEngine;
  readonly signer: ReceiptSigner;
  readonly deps: LifecycleDeps;
  verifyReceipt: typeof verifyReceipt;
}

/** Batches small enough that other orgs' requests interleave (W4.13). */
export const PURGE_BATCH_SIZE = 500;

/**
 * The lifecycle engine (issue 5): contract states per org and service, the W4 deletion schedule on
 * the injectable clock, the resumable purge through every module's `purgeOrganization`, receipts.
 */
export async function createLifecycleModule(
  kernel: Kernel,
  wiring: { identity: IdentityLifecycleApi; modules(): readonly ModuleDefinition[]; purgeAudit: PurgeTarget['purge'] },
): Promise<{ definition: ModuleDefinition; api: LifecycleApi }> {
  const store = await kernel.stores.open<LifecycleDb>(lifecycleStoreSpec(kernel.config));
  const db = store.db as Kysely<LifecycleDb>;
  const signer = await loadReceiptSigner(db, kernel.secrets, kernel.clock.now().toISOString());
  const deps: LifecycleDeps = { kernel, repo: lifecycleRepository(db), signer, batchSize: PURGE_BATCH_SIZE, ...wiring };
  const service = createLifecycleService(deps);
  const engine = createPurgeEngine(deps);
  return {
    definition: {
      name: 'lifecycle',
      routes: lifecycleRoutes(deps, service),
      jobs: [
        defineJob({
          name: 'lifecycle.schedule',
          // Every minute; the lease makes one instance act (kernel/jobs.ts). A purge may take long.
          schedule: '* * * * *',
          leaseSeconds: 6 * 3600,
          run: async ({ logger }) => {
            const result = await engine.runDue();
            if (result.deleted + result.cancelled + result.purged > 0) logger.info(result, 'lifecycle steps');
          },
        }),
      ],
    },
    api: { service, engine, signer, deps, verifyReceipt },
  };
}
