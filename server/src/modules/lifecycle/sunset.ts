import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock';
import { DeadlineTimer } from '../../kernel/deadline-timer';
import { defineJob, type JobDefinition } from '../../kernel/jobs';
import { LIFECYCLE_LEASE_SECONDS, throttled } from './lease';
import type { Kernel, ModuleDefinition } from '../../kernel/module';
import { logFilesRetentionJob } from './log-files';
import { sunsetStoreSpec, type SunsetDb } from './sunset.db';
import { sunsetRoutes } from './sunset.routes';
import { createSunsetService, type SunsetApi } from './sunset.service';

export { SUNSET_SERVICES, type SunsetApi, type SunsetView } from './sunset.service';
export { LOG_FILE_RETENTION_DAYS, listLogFiles, logFileDeletionDate } from './log-files';

/** Every minute; a short lease that a running sunset renews per batch (lease.ts), like the org purge. */
export const sunsetsJob = (api: SunsetApi, clock: Clock, timer?: DeadlineTimer): JobDefinition =>
  defineJob({
    name: 'lifecycle.sunsets',
    // The deadline timer starts a sunset at its instant (W4.13); this poll is the safety net.
    schedule: '* * * * *',
    leaseSeconds: LIFECYCLE_LEASE_SECONDS,
    ...(timer ? { timer } : {}),
    run: async ({ logger, renewLease }) => {
      const completed = await api.runDue({ heartbeat: throttled(renewLease, clock) });
      if (completed > 0) logger.info({ completed }, 'service sunsets completed');
    },
  });

/**
 * Deployment-wide lifecycle duties beside the per-org engine: service sunsets (W4.8) and the
 * retention of access/application log files (W4.7).
 */
export function createSunsetModule(
  kernel: Kernel,
  deps: { modules(): readonly ModuleDefinition[]; listOrgIds(): Promise<string[]> },
): { definition: ModuleDefinition; api: SunsetApi } {
  // W4.13: a sunset starts at its instant (the closure reads `api` only once the runner starts).
  const timer: DeadlineTimer = new DeadlineTimer({ clock: kernel.clock, logger: kernel.logger.child({ timer: 'lifecycle.sunsets' }), nextDeadline: () => api.nextDeadline() });
  const api = createSunsetService({
    kernel,
    openDb: async () => (await kernel.stores.open<SunsetDb>(sunsetStoreSpec(kernel.config))).db as Kysely<SunsetDb>,
    deadlinesChanged: () => void timer.rearm(),
    ...deps,
  });
  return {
    definition: {
      name: 'lifecycle-sunset',
      routes: sunsetRoutes(api, { backupRetentionDays: kernel.config.backupRetentionDays }),
      jobs: [
        sunsetsJob(api, kernel.clock, timer),
        logFilesRetentionJob({ logDir: kernel.config.logDir, audit: kernel.audit }),
      ],
    },
    api,
  };
}
