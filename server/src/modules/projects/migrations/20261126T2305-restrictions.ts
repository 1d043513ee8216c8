import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Space restrictions an org admin puts on a
// member or guest (Backlog NormalRoleType 3 "add issues only", 4 "view only"); no row = none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('space_restrictions')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('restriction', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('space_restrictions_pk', ['org_id', 'account_id'])
    .execute();
}
