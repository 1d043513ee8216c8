import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Issue 13 §2/§6/§7:
// - sso_sessions: which Toride session an SSO sign-in started, with the IdP's NameID and SessionIndex,
//   so single logout can find and end exactly the sessions of that sign-in;
// - the SP's own signing key (sealed) and certificate per connection, for signed logout messages;
// - when metadata-by-URL was last fetched, and the last refresh error.
// IdP-initiated sign-in now defaults to off for new connections (in code). Existing connections keep
// the value they already store (the column is NOT NULL, so every row is explicit): turning it off here
// would silently break IdP dashboards that work today. The docs tell admins to review it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sso_connections').addColumn('sp_signing_key', 'text').execute();
  await db.schema.alterTable('sso_connections').addColumn('sp_signing_cert', 'text').execute();
  await db.schema.alterTable('sso_connections').addColumn('metadata_fetched_at', 'text').execute();
  await db.schema.alterTable('sso_connections').addColumn('metadata_error', 'text').execute();
  await db.schema
    .createTable('sso_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name_id', 'text', (c) => c.notNull())
    .addColumn('name_id_format', 'text')
    .addColumn('session_index', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_sessions_subject_idx').on('sso_sessions').columns(['connection_id', 'name_id']).execute();
  await db.schema.createIndex('sso_sessions_org_idx').on('sso_sessions').column('org_id').execute();
  await db.schema.createIndex('sso_sessions_expires_idx').on('sso_sessions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_sessions').execute();
  for (const column of ['metadata_error', 'metadata_fetched_at', 'sp_signing_cert', 'sp_signing_key']) {
    await db.schema.alterTable('sso_connections').dropColumn(column).execute();
  }
}
