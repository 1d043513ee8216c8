import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Classic users' own credentials (W6.6): browser
// sessions from the classic sign-in and personal API keys, both stored only as SHA-256 digests of
// their secrets. They name the space user, so they open that one space and nothing else.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('classic_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('space_user_id', 'integer', (c) => c.notNull().references('space_users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('classic_sessions_user_idx').on('classic_sessions').columns(['org_id', 'space_user_id']).execute();

  await db.schema
    .createTable('classic_api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('space_user_id', 'integer', (c) => c.notNull().references('space_users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('classic_api_keys_user_idx').on('classic_api_keys').columns(['org_id', 'space_user_id']).execute();
}
