import type { Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here. Custom fields of a project (Backlog's 8 types),
// their list items, the issue types they apply to, and the values issues hold. A list value is one row
// per chosen item; a scalar value (text, number, date) one row with `value`; `other_value` is the free
// text of check boxes and radios that allow input. Change-log entries learn which field they name.
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  await db.schema
    .createTable('custom_fields')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('type_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('use_issue_type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('display_order', 'integer', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('custom_fields_project_idx').on('custom_fields').columns(['org_id', 'project_id']).execute();
  await db.schema
    .createTable('custom_field_items')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('field_id', 'integer', (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_order', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custom_field_items_field_idx').on('custom_field_items').columns(['field_id']).execute();
  await db.schema
    .createTable('custom_field_issue_types')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('field_id', 'integer', (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
    .addColumn('issue_type_id', 'integer', (c) => c.notNull().references('issue_types.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('custom_field_issue_types_pk', ['field_id', 'issue_type_id'])
    .execute();
  await db.schema
    .createTable('issue_custom_values')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'integer', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
    .addColumn('item_id', 'integer', (c) => c.references('custom_field_items.id').onDelete('cascade'))
    .addColumn('value', 'text')
    .addColumn('other_value', 'text')
    .execute();
  await db.schema.createIndex('issue_custom_values_issue_idx').on('issue_custom_values').columns(['issue_id', 'field_id']).execute();
  await db.schema.createIndex('issue_custom_values_field_idx').on('issue_custom_values').columns(['field_id', 'item_id']).execute();
  await db.schema.alterTable('comment_changes').addColumn('attribute_id', 'integer').execute();
  await db.schema.alterTable('comment_changes').addColumn('attribute_type_id', 'integer').execute();
  await db.schema.alterTable('comment_changes').addColumn('attachment_id', 'integer').execute();
}
