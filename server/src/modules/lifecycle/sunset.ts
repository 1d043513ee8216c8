import type { Kysely } from 'kysely';
import { defineJob } from '../../kernel/jobs';
import type { Kernel, ModuleDefinition } from '../../kernel/module';
import { logFilesRetentionJob } from './log-files';
import { sunsetStoreSpec, type SunsetDb } from './sunset.db';
import { sunsetRoutes } from './sunset.routes';
import { createSunsetService, type SunsetApi } from './sunset.service';

export { SUNSET_SERVICES, type SunsetApi, type SunsetView } from './sunset.service';
export { LOG_FILE_RETENTION_DAYS, listLogFiles, logFileDeletionDate } from './log-files';

/**
 * Deployment-wide lifecycle duties beside the per-org engine: service sunsets (W4.8) and the
 * retention of access/application log files (W4.7).
 */
export function createSunsetModule(
  kernel: Kernel,
  deps: { modules(): readonly ModuleDefinition[]; listOrgIds(): Promise<string[]> },
): { definition: ModuleDefinition; api: SunsetApi } {
  const api = createSunsetService({
    kernel,
    openDb: async () => (await kernel.stores.open<SunsetDb>(sunsetStoreSpec(kernel.config))).db as Kysely<SunsetDb>,
    ...deps,
  });
  return {
    definition: {
      name: 'lifecycle-sunset',
      routes: sunsetRoutes(api, { backupRetentionDays: kernel.config.backupRetentionDays }),
      jobs: [
        defineJob({
          name: 'lifecycle.sunsets',
          schedule: '* * * * *',
          leaseSeconds: 3600,
          run: async ({ logger }) => {
            const completed = await api.runDue();
            if (completed > 0) logger.info({ completed }, 'service sunsets completed');
          },
        }),
        logFilesRetentionJob({ logDir: kernel.config.logDir, audit: kernel.audit }),
      ],
    },
    api,
  };
}
