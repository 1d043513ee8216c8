import type { Kysely } from 'kysely';

/**
 * Receipt counts across a crash (W4.1, issue 5 §5): the org's rows per store and kind when the
 * purge started (`census`, JSON) and how often the run was resumed (`resumes`), so a batch deleted
 * just before a crash, whose counts were never written, still appears in the receipt.
 */
// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('lifecycle_purge_runs').addColumn('census', 'text').execute();
  await db.schema.alterTable('lifecycle_purge_runs').addColumn('resumes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('lifecycle_purge_runs').dropColumn('resumes').execute();
  await db.schema.alterTable('lifecycle_purge_runs').dropColumn('census').execute();
}
