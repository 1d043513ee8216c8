import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Issue 4 §5: SCIM tokens and the SCIM
// attributes Toride keeps beside its own users and teams.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scim_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('rotated_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('scim_tokens_org_idx').on('scim_tokens').columns(['org_id', 'created_at']).execute();
  await db.schema.createIndex('scim_tokens_issuer_idx').on('scim_tokens').column('issued_by').execute();
  await db.schema
    .createTable('scim_resources')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_resources_pk', ['org_id', 'resource_type', 'resource_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scim_resources').execute();
  await db.schema.dropTable('scim_tokens').execute();
}
