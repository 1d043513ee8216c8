import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Times are ISO-8601 UTC text on both dialects.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per hash chain (an org's, or `platform` for events outside any org). Appends lock this
  // row first, which serializes writers of one chain across instances (W7.6 tamper evidence).
  await db.schema
    .createTable('audit_chains')
    .addColumn('chain_key', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text')
    .addColumn('head_seq', 'integer', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('anchor_seq', 'integer', (c) => c.notNull())
    .addColumn('anchor_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('chain_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('actor_email', 'text')
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    // A second guard against a forked chain: two entries can never share a position.
    .addUniqueConstraint('audit_events_chain_seq_uq', ['chain_key', 'seq'])
    .execute();
  await db.schema.createIndex('audit_events_chain_at_idx').on('audit_events').columns(['chain_key', 'at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
  await db.schema.dropTable('audit_chains').execute();
}
