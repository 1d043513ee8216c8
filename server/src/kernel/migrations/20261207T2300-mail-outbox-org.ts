import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
/**
 * Mail to an org's members is org data (issue 16 §3, W4.1): each outbox row names the org it is
 * about (purged with it) and its kind (what operators see instead of the content, W2.1).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('org_id', 'text').execute();
  await db.schema.alterTable('mail_outbox').addColumn('kind', 'text', (c) => c.notNull().defaultTo('account')).execute();
  await db.schema.createIndex('mail_outbox_org_idx').on('mail_outbox').column('org_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_outbox_org_idx').execute();
  await db.schema.alterTable('mail_outbox').dropColumn('kind').execute();
  await db.schema.alterTable('mail_outbox').dropColumn('org_id').execute();
}
