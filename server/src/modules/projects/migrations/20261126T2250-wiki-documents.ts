import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here. Wiki pages (with tags and history) and the
// document tree (issue 3 §1). Document ids are text, as Backlog's document API sends them.
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

  await db.schema
    .createTable('wikis')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', notNull)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'text', notNull)
    .addColumn('content', 'text', notNull)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_user_id', 'integer', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_user_id', 'integer', notNull)
    .addColumn('updated_at', 'text', notNull)
    .addUniqueConstraint('wikis_project_name_uq', ['org_id', 'project_id', 'name'])
    .execute();
  await db.schema.createIndex('wikis_org_project_idx').on('wikis').columns(['org_id', 'project_id']).execute();

  await db.schema
    .createTable('wiki_tags')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', notNull)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'text', notNull)
    .addUniqueConstraint('wiki_tags_project_name_uq', ['org_id', 'project_id', 'name'])
    .execute();

  await db.schema
    .createTable('wiki_page_tags')
    .addColumn('org_id', 'text', notNull)
    .addColumn('wiki_id', 'integer', (c) => c.notNull().references('wikis.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('wiki_tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('wiki_page_tags_pk', ['wiki_id', 'tag_id'])
    .execute();

  await db.schema
    .createTable('wiki_history')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', notNull)
    .addColumn('wiki_id', 'integer', (c) => c.notNull().references('wikis.id').onDelete('cascade'))
    .addColumn('version', 'integer', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('content', 'text', notNull)
    .addColumn('created_user_id', 'integer', notNull)
    .addColumn('created_at', 'text', notNull)
    .addUniqueConstraint('wiki_history_version_uq', ['wiki_id', 'version'])
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', notNull)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('parent_id', 'text')
    .addColumn('title', 'text', notNull)
    .addColumn('content', 'text', notNull)
    .addColumn('emoji', 'text')
    .addColumn('status_id', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('display_order', 'integer', notNull)
    .addColumn('created_user_id', 'integer', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_user_id', 'integer', notNull)
    .addColumn('updated_at', 'text', notNull)
    .execute();
  await db.schema.createIndex('documents_org_project_idx').on('documents').columns(['org_id', 'project_id', 'parent_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['documents', 'wiki_history', 'wiki_page_tags', 'wiki_tags', 'wikis']) await db.schema.dropTable(table).execute();
}
