import type { Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here. Uploaded files live in the org's projects store
// (region-resident, W3.2): `blobs` holds the bytes (base64 text, portable across SQLite and PostgreSQL),
// `attachments` the file's name and where it is attached. A row with no issue is a pending upload
// (POST /space/attachment) that its uploader may attach within an hour.
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  await db.schema
    .createTable('blobs')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('blobs_org_idx').on('blobs').columns(['org_id']).execute();
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('blob_id', 'integer', (c) => c.notNull().references('blobs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'integer', (c) => c.references('issues.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.references('projects.id').onDelete('cascade'))
    .addColumn('created_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_issue_idx').on('attachments').columns(['org_id', 'issue_id']).execute();
  await db.schema.createIndex('attachments_pending_idx').on('attachments').columns(['org_id', 'created_user_id', 'created_at']).execute();
}
