import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here (the kernel's dialect helper is not app code:
// it only picks the autoincrement syntax). Booleans are integers 0/1, times ISO-8601 UTC text, dates
// `yyyy-MM-dd` text. Ids are database-numbered integers because the Backlog API v2 wire needs numbers.
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  const orgId = (c: ColumnDefinitionBuilder) => c.notNull();

  // One project space per org; this row outlives a purge (W4.10), so its numeric id is never reused.
  await db.schema
    .createTable('spaces')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull().unique())
    .addColumn('space_key', 'text', (c) => c.notNull().unique())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('purged_at', 'text')
    .execute();

  // Platform accounts keep their text ids; the space numbers them for the Backlog wire.
  await db.schema
    .createTable('space_users')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', orgId)
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('space_users_org_account_uq', ['org_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', orgId)
    .addColumn('project_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('chart_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('use_resolved_for_chart', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('subtasking_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('project_leader_can_edit_project_leader', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('use_wiki', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('use_file_sharing', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('text_formatting_rule', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('display_order', 'integer', (c) => c.notNull().defaultTo(2147483646))
    .addColumn('last_key_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('projects_org_key_uq', ['org_id', 'project_key'])
    .execute();

  await db.schema
    .createTable('project_members')
    .addColumn('org_id', 'text', orgId)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('space_users.id').onDelete('cascade'))
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_members_pk', ['project_id', 'user_id'])
    .execute();
  await db.schema.createIndex('project_members_user_idx').on('project_members').columns(['org_id', 'user_id']).execute();

  for (const table of ['issue_types', 'categories']) {
    let builder = db.schema
      .createTable(table)
      .addColumn('id', 'integer', id)
      .addColumn('org_id', 'text', orgId)
      .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('display_order', 'integer', (c) => c.notNull());
    if (table === 'issue_types') builder = builder.addColumn('color', 'text', (c) => c.notNull());
    await builder.execute();
    await db.schema.createIndex(`${table}_project_idx`).on(table).column('project_id').execute();
  }

  // `status_id` is the wire id: the four defaults keep Backlog's global ids 1–4 in every project
  // (clients filter on `statusId[]=1..3`); a custom status takes its own row id.
  await db.schema
    .createTable('statuses')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', orgId)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('status_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('display_order', 'integer', (c) => c.notNull())
    .addUniqueConstraint('statuses_project_status_uq', ['project_id', 'status_id'])
    .execute();

  await db.schema
    .createTable('versions')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', orgId)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('start_date', 'text')
    .addColumn('release_due_date', 'text')
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('display_order', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('versions_project_idx').on('versions').column('project_id').execute();

  await db.schema
    .createTable('issues')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', orgId)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key_id', 'integer', (c) => c.notNull())
    .addColumn('issue_type_id', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('resolution_id', 'integer')
    .addColumn('priority_id', 'integer', (c) => c.notNull())
    .addColumn('status_id', 'integer', (c) => c.notNull())
    .addColumn('assignee_id', 'integer')
    .addColumn('start_date', 'text')
    .addColumn('due_date', 'text')
    .addColumn('estimated_hours', 'double precision')
    .addColumn('actual_hours', 'double precision')
    .addColumn('parent_issue_id', 'integer')
    .addColumn('created_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_user_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('issues_project_key_uq', ['project_id', 'key_id'])
    .execute();
  await db.schema.createIndex('issues_org_updated_idx').on('issues').columns(['org_id', 'updated_at']).execute();

  // Categories, versions and milestones of an issue; `kind` tells versions from milestones.
  await db.schema
    .createTable('issue_links')
    .addColumn('org_id', 'text', orgId)
    .addColumn('issue_id', 'integer', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('issue_links_pk', ['issue_id', 'kind', 'target_id'])
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', orgId)
    .addColumn('issue_id', 'integer', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('content', 'text')
    .addColumn('created_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_issue_idx').on('comments').column('issue_id').execute();

  await db.schema
    .createTable('comment_changes')
    .addColumn('org_id', 'text', orgId)
    .addColumn('comment_id', 'integer', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('new_value', 'text')
    .addColumn('original_value', 'text')
    .addPrimaryKeyConstraint('comment_changes_pk', ['comment_id', 'position'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['comment_changes', 'comments', 'issue_links', 'issues', 'versions', 'statuses', 'categories', 'issue_types', 'project_members', 'projects', 'space_users', 'spaces']) {
    await db.schema.dropTable(table).execute();
  }
}
