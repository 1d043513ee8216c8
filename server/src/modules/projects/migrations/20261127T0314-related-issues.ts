import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here. Related issues (Backlog `relatedIssues`): one
// undirected `RELATES` link between two issues of the same space, stored once with the smaller issue
// id first so that A–B and B–A are the same row; it goes when either issue goes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('issue_relations')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('low_issue_id', 'integer', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('high_issue_id', 'integer', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('created_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('issue_relations_pk', ['low_issue_id', 'high_issue_id'])
    .addCheckConstraint('issue_relations_order_ck', sql`low_issue_id < high_issue_id`)
    .execute();
  await db.schema.createIndex('issue_relations_high_idx').on('issue_relations').columns(['high_issue_id']).execute();
}
