import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Classic spaces (W6.6, W7.3, W8.2): an org may
// run its space in classic mode with space-local users, who are numbered in `space_users` like
// everyone else (account_id `classic:<uuid>`) and described here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('classic_spaces')
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('user_limit', 'integer', (c) => c.notNull())
    .addColumn('enabled_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('classic_users')
    .addColumn('space_user_id', 'integer', (c) => c.primaryKey().references('space_users.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('login_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mail_address', 'text', (c) => c.notNull())
    .addColumn('role_type', 'integer', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('classic_users_login_uq', ['org_id', 'login_id'])
    .execute();
}
