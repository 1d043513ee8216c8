import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. W7.6: reading the audit log is its own
// permission; admins hold it by default, so every existing admin gets it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('memberships')
    .addColumn('can_read_audit', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.updateTable('memberships').set({ can_read_audit: 1 }).where('role', '=', 'admin').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('memberships').dropColumn('can_read_audit').execute();
}
