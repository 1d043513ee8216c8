import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lifecycle_contracts')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('trial_ends_at', 'text')
    .addColumn('period_ends_at', 'text')
    .addColumn('contract_ended_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('auto_delete_at', 'text')
    .addColumn('auto_cancel_at', 'text')
    .addColumn('audit_purge_at', 'text')
    .addColumn('purge_at', 'text')
    .addColumn('contract_admin_name', 'text')
    .addColumn('contract_admin_email', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lifecycle_contracts_pk', ['org_id', 'service'])
    .execute();
  await db.schema
    .createTable('lifecycle_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lifecycle_history_org_idx').on('lifecycle_history').columns(['org_id', 'at']).execute();
  await db.schema
    .createTable('lifecycle_purge_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('progress', 'text', (c) => c.notNull())
    .addColumn('batches', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('lifecycle_purge_runs_org_scope_uq', ['org_id', 'scope'])
    .execute();
  await db.schema
    .createTable('lifecycle_receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('lifecycle_signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_key_pem', 'text', (c) => c.notNull())
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['lifecycle_signing_keys', 'lifecycle_receipts', 'lifecycle_purge_runs', 'lifecycle_history', 'lifecycle_contracts']) {
    await db.schema.dropTable(table).execute();
  }
}
