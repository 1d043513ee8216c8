import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here. OAuth 2.0 apps of an org's space, their
// one-time authorization codes and their access/refresh tokens (hashes only), as Backlog does it.
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

  await db.schema
    .createTable('oauth_apps')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('client_secret_hash', 'text', notNull)
    .addColumn('redirect_uri', 'text', notNull)
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();

  await db.schema
    .createTable('oauth_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', notNull)
    .addColumn('app_id', 'integer', (c) => c.notNull().references('oauth_apps.id').onDelete('cascade'))
    .addColumn('account_id', 'text', notNull)
    .addColumn('redirect_uri', 'text', notNull)
    .addColumn('expires_at', 'text', notNull)
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('oauth_tokens')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', notNull)
    .addColumn('app_id', 'integer', (c) => c.notNull().references('oauth_apps.id').onDelete('cascade'))
    .addColumn('account_id', 'text', notNull)
    .addColumn('access_hash', 'text', (c) => c.notNull().unique())
    .addColumn('access_expires_at', 'text', notNull)
    .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
    .addColumn('refresh_expires_at', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('oauth_tokens_org_account_idx').on('oauth_tokens').columns(['org_id', 'account_id']).execute();
}
