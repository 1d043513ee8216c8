import type { Kysely } from 'kysely';
import { defineJob, type JobDefinition } from '../../../kernel/jobs';
import type { ProjectsDb } from '../projects.db';
import { projectsStoreSpec } from '../projects.db';
import { projectsRegions } from '../projects.purge';
import { onActivity } from '../social/index';
import type { ProjectsDeps } from '../spaces.service';
import { deliverDue, pruneDeliveries, queueActivity } from './webhooks.delivery';

export { webhookRoutes } from './webhooks.routes';
export { deliveriesSettled, MAX_ATTEMPTS, RETRY_DELAYS } from './webhooks.delivery';
export { MAX_WEBHOOKS_PER_PROJECT } from './webhooks.service';
export type { WebhookTables } from './webhooks.db';

let subscribed = false;

/** Queues project activities for webhooks. The listener list is process-wide and gets `deps` per call, so once is enough. */
export function subscribeWebhooks(): void {
  if (subscribed) return;
  subscribed = true;
  onActivity(queueActivity);
}

async function eachStore(deps: ProjectsDeps, run: (db: Kysely<ProjectsDb>) => Promise<void>): Promise<void> {
  for (const region of projectsRegions(deps.kernel)) {
    await run((await deps.kernel.stores.open<ProjectsDb>(projectsStoreSpec(region))).db as Kysely<ProjectsDb>);
  }
}

/** Retries and the safety net for deliveries every minute; the log's retention once a day. */
export function webhookJobs(deps: ProjectsDeps): JobDefinition[] {
  return [
    defineJob({
      name: 'projects.webhook-deliveries',
      schedule: '* * * * *',
      run: async ({ logger }) =>
        eachStore(deps, async (db) => {
          const result = await deliverDue(deps.kernel, db);
          if (result.delivered + result.retry + result.failed > 0) logger.info(result, 'webhook deliveries');
        }),
    }),
    defineJob({
      name: 'projects.webhook-retention',
      schedule: '40 3 * * *',
      run: async ({ logger }) =>
        eachStore(deps, async (db) => {
          const pruned = await pruneDeliveries(deps.kernel, db);
          if (pruned > 0) logger.info({ pruned }, 'pruned webhook deliveries');
        }),
    }),
  ];
}
