import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here. W8.3: email domains an org proves by DNS TXT.
// A domain may be pending in several orgs, but verified by one org at a time (partial unique index).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('verified_domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .addColumn('last_checked_at', 'text')
    .addColumn('last_error', 'text')
    .addUniqueConstraint('verified_domains_org_domain_uq', ['org_id', 'domain'])
    .execute();
  await db.schema.createIndex('verified_domains_verified_uq').on('verified_domains').column('domain').unique().where(sql.ref('verified_at'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('verified_domains').execute();
}
