import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The chain covers a salted digest of the actor's name and email, so both can be erased (W4.4)
// without breaking verification (W4.6); see audit-chain.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('actor_salt', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('actor_digest', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('subject_email', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('subject_salt', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('subject_digest', 'text').execute();
  await db.schema.createIndex('audit_events_actor_idx').on('audit_events').columns(['actor_id']).execute();
  await db.schema.createIndex('audit_events_actor_email_idx').on('audit_events').columns(['actor_email']).execute();
  await db.schema.createIndex('audit_events_subject_email_idx').on('audit_events').columns(['subject_email']).execute();
  // The common searches (an action, or an actor, over a time range) read one index range, newest first.
  await db.schema.createIndex('audit_events_chain_action_at_idx').on('audit_events').columns(['chain_key', 'action', 'at', 'id']).execute();
  await db.schema.createIndex('audit_events_chain_actor_at_idx').on('audit_events').columns(['chain_key', 'actor_id', 'at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_chain_actor_at_idx').execute();
  await db.schema.dropIndex('audit_events_chain_action_at_idx').execute();
  await db.schema.dropIndex('audit_events_subject_email_idx').execute();
  await db.schema.dropIndex('audit_events_actor_email_idx').execute();
  await db.schema.dropIndex('audit_events_actor_idx').execute();
  await db.schema.alterTable('audit_events').dropColumn('subject_digest').execute();
  await db.schema.alterTable('audit_events').dropColumn('subject_salt').execute();
  await db.schema.alterTable('audit_events').dropColumn('subject_email').execute();
  await db.schema.alterTable('audit_events').dropColumn('actor_digest').execute();
  await db.schema.alterTable('audit_events').dropColumn('actor_salt').execute();
}
