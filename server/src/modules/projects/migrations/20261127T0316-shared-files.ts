import type { Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here. Shared files of a project (issue 3): a tree of
// directories and files per project (`dir` is the parent path, `/` or `/docs/specs/`), the bytes of
// each file in the org's projects store (region-resident, W3.2; base64 text like `blobs`, portable
// across SQLite and PostgreSQL) in their own table keyed by the file, so deleting a file or its
// project cascades to the bytes, and the links from issues and wiki pages (cascading from either side).
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  await db.schema
    .createTable('shared_files')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('dir', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('created_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_user_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('shared_files_path_uq', ['org_id', 'project_id', 'dir', 'name'])
    .execute();
  await db.schema
    .createTable('shared_file_data')
    .addColumn('file_id', 'integer', (c) => c.primaryKey().references('shared_files.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shared_file_data_org_idx').on('shared_file_data').columns(['org_id']).execute();
  await db.schema
    .createTable('shared_file_links')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('file_id', 'integer', (c) => c.notNull().references('shared_files.id').onDelete('cascade'))
    .addColumn('issue_id', 'integer', (c) => c.references('issues.id').onDelete('cascade'))
    .addColumn('wiki_id', 'integer', (c) => c.references('wikis.id').onDelete('cascade'))
    .addColumn('created_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('shared_file_links_issue_uq', ['file_id', 'issue_id'])
    .addUniqueConstraint('shared_file_links_wiki_uq', ['file_id', 'wiki_id'])
    .execute();
  await db.schema.createIndex('shared_file_links_issue_idx').on('shared_file_links').columns(['org_id', 'issue_id']).execute();
  await db.schema.createIndex('shared_file_links_wiki_idx').on('shared_file_links').columns(['org_id', 'wiki_id']).execute();
}
