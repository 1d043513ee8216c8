import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. W6.7/W8.3: SSO connections, enforcement,
// pending sign-in requests and the SAML assertion replay cache.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('idp_entity_id', 'text')
    .addColumn('idp_sso_url', 'text')
    .addColumn('idp_slo_url', 'text')
    .addColumn('idp_certs', 'text')
    .addColumn('metadata_url', 'text')
    .addColumn('allow_idp_initiated', 'integer', (c) => c.notNull())
    .addColumn('slo_enabled', 'integer', (c) => c.notNull())
    .addColumn('oidc_issuer', 'text')
    .addColumn('oidc_client_id', 'text')
    .addColumn('oidc_client_secret', 'text')
    .addColumn('oidc_scopes', 'text')
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('jit', 'integer', (c) => c.notNull())
    .addColumn('last_test_at', 'text')
    .addColumn('last_test_ok', 'integer')
    .addColumn('last_test_result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_connections_org_idx').on('sso_connections').column('org_id').execute();
  await db.schema
    .createTable('sso_org_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('enforced', 'integer', (c) => c.notNull())
    .addColumn('enforced_at', 'text')
    .addColumn('enforced_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sso_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('test', 'integer', (c) => c.notNull())
    .addColumn('actor_account_id', 'text')
    .addColumn('nonce', 'text')
    .addColumn('code_verifier', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_requests_expires_idx').on('sso_requests').column('expires_at').execute();
  await db.schema
    .createTable('sso_replay')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_replay_expires_idx').on('sso_replay').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sso_replay', 'sso_requests', 'sso_org_settings', 'sso_connections']) await db.schema.dropTable(table).execute();
}
