import { lifecycleCommands } from './lifecycle.commands';
import type { Kysely } from 'kysely';
import { DeadlineTimer } from '../../kernel/deadline-timer';
import { defineJob, type JobDefinition } from '../../kernel/jobs';
import type { Kernel, ModuleDefinition } from '../../kernel/module';
import type { IdentityLifecycleApi, LifecycleDeps } from './lifecycle.deps';
import { lifecycleStoreSpec, type LifecycleDb } from './lifecycle.db';
import { lifecycleRepository } from './lifecycle.repository';
import { lifecycleRoutes } from './lifecycle.routes';
import { createLifecycleService, type LifecycleService } from './lifecycle.service';
import { LIFECYCLE_LEASE_SECONDS, throttled } from './lease';
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
  /** The every-minute job (exposed so tests can run it as a second instance would). */
  readonly scheduleJob: JobDefinition;
  /** Its deadline timer (armed while the app's job runner runs). */
  readonly timer: DeadlineTimer;
}

/** Batches small enough that other orgs' requests interleave (W4.13). */
export const PURGE_BATCH_SIZE = 500;
/** Passes per job run; each pass acts on every due step, so more is only a burst of new deadlines. */
const MAX_PASSES = 10;
export { LIFECYCLE_LEASE_SECONDS } from './lease';

/**
 * The lifecycle engine (issue 5): contract states per org and service, the W4 deletion schedule on
 * the injectable clock, the resumable purge through every module's `purgeOrganization`, receipts.
 */
export async function createLifecycleModule(
  kernel: Kernel,
  wiring: { identity: IdentityLifecycleApi; modules(): readonly ModuleDefinition[] },
): Promise<{ definition: ModuleDefinition; api: LifecycleApi }> {
  const store = await kernel.stores.open<LifecycleDb>(lifecycleStoreSpec(kernel.config));
  const db = store.db as Kysely<LifecycleDb>;
  const signer = await loadReceiptSigner(db, kernel.secrets, kernel.clock.now().toISOString());
  const repo = lifecycleRepository(db);
  // W4.13, nothing late: a timer to the earliest deadline runs the job under its lease at that instant.
  const timer = new DeadlineTimer({
    clock: kernel.clock,
    logger: kernel.logger.child({ timer: 'lifecycle.schedule' }),
    nextDeadline: async () => {
      const at = await repo.nextDeadline();
      return at ? new Date(at) : null;
    },
  });
  const deps: LifecycleDeps = { kernel, repo, signer, batchSize: PURGE_BATCH_SIZE, deadlinesChanged: () => void timer.rearm(), ...wiring };
  const service = createLifecycleService(deps);
  const engine = createPurgeEngine(deps);
  const scheduleJob = defineJob({
    name: 'lifecycle.schedule',
    // The timer above acts at each deadline; this every-minute poll is the safety net (and resumes
    // a crashed instance's purge). The lease makes one instance act (kernel/jobs.ts). The lease is
    // short and a long purge renews it per batch, so a crashed instance's purge resumes within minutes elsewhere.
    schedule: '* * * * *',
    leaseSeconds: LIFECYCLE_LEASE_SECONDS,
    timer,
    run: async ({ logger, renewLease }) => {
      const heartbeat = throttled(renewLease, kernel.clock);
      // Again while a pass acted: whatever fell due during a long purge starts right after it,
      // not at the next poll (another instance's timer found the lease held).
      for (let pass = 0; pass < MAX_PASSES; pass += 1) {
        const result = await engine.runDue({ heartbeat });
        if (result.deleted + result.cancelled + result.purged === 0) break;
        logger.info(result, 'lifecycle steps');
      }
    },
  });
  // The mail outbox's retention (issue 16 §3): each row goes 30 days after it was written, on time.
  const mailRetentionJob = defineJob({
    name: 'lifecycle.mail-retention',
    schedule: '0 * * * *',
    timer: new DeadlineTimer({ clock: kernel.clock, logger: kernel.logger.child({ timer: 'lifecycle.mail-retention' }), nextDeadline: () => kernel.mailer.nextExpiry() }),
    run: async ({ logger }) => {
      const deleted = await kernel.mailer.purgeExpired();
      if (deleted > 0) logger.info({ deleted }, 'expired mail outbox rows deleted');
    },
  });
  return {
    definition: {
      name: 'lifecycle',
      commands: lifecycleCommands,
      routes: lifecycleRoutes(deps, service),
      jobs: [scheduleJob, mailRetentionJob],
    },
    api: { service, engine, signer, deps, verifyReceipt, scheduleJob, timer },
  };
}
