import type { Insertable, Kysely, Updateable } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { WebhookDeliveryRow, WebhookDeliveryTable, WebhookRow, WebhookTable } from './webhooks.db';

/**
 * Every SQL statement for webhooks and their deliveries. Reads for users filter by org and project
 * (W7.7); only the delivery worker reads across orgs, because it serves the whole store.
 */
export function createWebhooksRepository(db: Kysely<ProjectsDb>) {
  return {
    list: (orgId: string, projectId: number): Promise<WebhookRow[]> =>
      db.selectFrom('webhooks').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).orderBy('id').execute(),

    find: (orgId: string, projectId: number, id: number): Promise<WebhookRow | undefined> =>
      db.selectFrom('webhooks').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst(),

    async count(orgId: string, projectId: number): Promise<number> {
      const row = await db.selectFrom('webhooks').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).where('project_id', '=', projectId).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    insert: (row: Insertable<WebhookTable>): Promise<WebhookRow> => db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow(),

    async update(orgId: string, id: number, changes: Updateable<WebhookTable>): Promise<void> {
      await db.updateTable('webhooks').set(changes).where('org_id', '=', orgId).where('id', '=', id).execute();
    },

    /** Deliveries go with their webhook (foreign key cascade). */
    async delete(orgId: string, id: number): Promise<void> {
      await db.deleteFrom('webhooks').where('org_id', '=', orgId).where('id', '=', id).execute();
    },

    // Deliveries -------------------------------------------------------------------------------------

    async insertDeliveries(rows: Insertable<WebhookDeliveryTable>[]): Promise<number[]> {
      if (rows.length === 0) return [];
      return (await db.insertInto('webhook_deliveries').values(rows).returning('id').execute()).map((r) => r.id);
    },

    deliveries: (orgId: string, webhookId: number, count: number): Promise<WebhookDeliveryRow[]> =>
      db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', orgId).where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(count).execute(),

    /** Pending deliveries due by `now`, oldest first, with their webhook's target (any org: the worker). */
    due: (now: string, limit: number, ids?: readonly number[]) => {
      let q = db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select(['d.id', 'd.org_id', 'd.webhook_id', 'd.payload', 'd.attempt', 'd.next_attempt_at', 'w.hook_url_sealed'])
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now);
      if (ids) q = q.where('d.id', 'in', ids.length ? ids : [-1]);
      return q.orderBy('d.next_attempt_at').orderBy('d.id').limit(limit).execute();
    },

    /**
     * Takes a due delivery for one attempt: succeeds only if nobody else took it since it was read
     * (the same `next_attempt_at`), and moves `next_attempt_at` to the lease's end, so a crashed
     * attempt is retried after the lease while a running one is never sent twice.
     */
    async claim(id: number, seenNextAttemptAt: string, attempt: number, at: string, leaseUntil: string): Promise<boolean> {
      const result = await db
        .updateTable('webhook_deliveries')
        .set({ attempt, last_attempt_at: at, next_attempt_at: leaseUntil })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', seenNextAttemptAt)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async settle(id: number, changes: Pick<Updateable<WebhookDeliveryTable>, 'status' | 'response_status' | 'error' | 'next_attempt_at'>): Promise<void> {
      await db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute();
    },

    /** Retention: settled deliveries older than `before`, then all but the newest `keep` of each webhook. */
    async prune(before: string, keep: number): Promise<number> {
      let removed = Number((await db.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('created_at', '<', before).executeTakeFirst()).numDeletedRows);
      const crowded = await db
        .selectFrom('webhook_deliveries')
        .select('webhook_id')
        .groupBy('webhook_id')
        .having((eb) => eb.fn.countAll(), '>', keep)
        .execute();
      for (const { webhook_id } of crowded) {
        const oldestKept = await db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', webhook_id).orderBy('id', 'desc').offset(keep - 1).limit(1).executeTakeFirst();
        if (!oldestKept) continue;
        const result = await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', webhook_id).where('id', '<', oldestKept.id).where('status', '!=', 'pending').executeTakeFirst();
        removed += Number(result.numDeletedRows);
      }
      return removed;
    },
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
