import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Wiki pages carry attachments too: the same
// `attachments`/`blobs` storage and limits as issues, with the page in `wiki_id`. A row with neither
// an issue nor a page is a pending upload.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('attachments')
    .addColumn('wiki_id', 'integer', (c) => c.references('wikis.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('attachments_wiki_idx').on('attachments').columns(['org_id', 'wiki_id']).execute();
}
