import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('service_sunsets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('orgs_purged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('backups_expire_at', 'text')
    .execute();
  await db.schema.createIndex('service_sunsets_status_at').on('service_sunsets').columns(['status', 'at']).execute();

  await db.schema
    .createTable('service_sunset_orgs')
    .addColumn('sunset_id', 'text', (c) => c.notNull().references('service_sunsets.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rows_deleted', 'integer', (c) => c.notNull())
    .addColumn('completed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('service_sunset_orgs_pk', ['sunset_id', 'org_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('service_sunset_orgs').execute();
  await db.schema.dropTable('service_sunsets').execute();
}
