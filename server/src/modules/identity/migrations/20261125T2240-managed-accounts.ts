import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. W8.3: managed accounts belong to one org
// (`managed_org_id`), carry the IdP's id (`external_id`), can be suspended, and have no password.
// Conversion consent tokens reuse `email_tokens`, which gains the org that asked.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('managed_org_id', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('external_id', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('suspended_at', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('updated_at', 'text').execute();
  await db.schema.createIndex('accounts_managed_org_idx').on('accounts').columns(['managed_org_id', 'external_id']).execute();
  await db.schema.alterTable('email_tokens').addColumn('org_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('email_tokens').dropColumn('org_id').execute();
  await db.schema.dropIndex('accounts_managed_org_idx').execute();
  for (const column of ['updated_at', 'suspended_at', 'external_id', 'managed_org_id']) {
    await db.schema.alterTable('accounts').dropColumn(column).execute();
  }
}
