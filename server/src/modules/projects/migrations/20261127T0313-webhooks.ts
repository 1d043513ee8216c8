import type { Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here. Project webhooks and their delivery queue,
// which is also the delivery log (issue 3 §2).
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // Sealed with the deployment's secret key: chat-style hook URLs carry a token in their path.
    .addColumn('hook_url_sealed', 'text', (c) => c.notNull())
    .addColumn('all_event', 'integer', (c) => c.notNull())
    .addColumn('activity_type_ids', 'text', (c) => c.notNull())
    .addColumn('created_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_user_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_project_idx').on('webhooks').columns(['org_id', 'project_id', 'id']).execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('activity_id', 'integer', (c) => c.notNull())
    .addColumn('activity_type_id', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_attempt_at', 'text')
    .addColumn('next_attempt_at', 'text')
    .execute();
  await db.schema.createIndex('webhook_deliveries_log_idx').on('webhook_deliveries').columns(['org_id', 'webhook_id', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
}
