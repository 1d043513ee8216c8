import type { Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here. Stars, watchings, notifications, activities,
// recently viewed items and the space notification of a project space (issue 3 §1).
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  await db.schema
    .createTable('stars')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('stars_user_target_uq', ['org_id', 'user_id', 'target_kind', 'target_id'])
    .execute();
  await db.schema.createIndex('stars_target_idx').on('stars').columns(['org_id', 'target_kind', 'target_id']).execute();
  await db.schema
    .createTable('watchings')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('issue_id', 'integer', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('resource_already_read', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_content_updated', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('watchings_user_issue_uq', ['org_id', 'user_id', 'issue_id'])
    .execute();
  await db.schema.createIndex('watchings_issue_idx').on('watchings').columns(['issue_id']).execute();
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('reason', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('issue_id', 'integer', (c) => c.references('issues.id').onDelete('cascade'))
    .addColumn('comment_id', 'integer')
    .addColumn('sender_id', 'integer', (c) => c.notNull())
    .addColumn('already_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resource_already_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['org_id', 'user_id', 'id']).execute();
  await db.schema
    .createTable('activities')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activities_org_idx').on('activities').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('activities_project_idx').on('activities').columns(['org_id', 'project_id', 'id']).execute();
  await db.schema
    .createTable('recent_views')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('viewed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('recent_views_pk', ['org_id', 'user_id', 'kind', 'target_id'])
    .execute();
  await db.schema
    .createTable('space_notices')
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
