import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. `npm run bench -- purge` found batches that
// scanned whole tables: the org purge deletes `WHERE org_id = …` table by table (W4.13), and
// deleting an issue, wiki page, project or app cascades through foreign keys that neither SQLite
// nor PostgreSQL index by themselves (one 500-issue batch: 2.86 s without, 0.01 s with).
const ORG_TABLES = [
  'issue_types',
  'categories',
  'statuses',
  'versions',
  'issue_links',
  'comments',
  'comment_changes',
  'wiki_page_tags',
  'wiki_history',
  'oauth_apps',
  'oauth_codes',
  'custom_field_items',
  'custom_field_issue_types',
  'issue_custom_values',
  'issue_relations',
];

const FOREIGN_KEYS: readonly (readonly [table: string, column: string])[] = [
  ['project_members', 'user_id'],
  ['wikis', 'project_id'],
  ['wiki_tags', 'project_id'],
  ['wiki_page_tags', 'tag_id'],
  ['documents', 'project_id'],
  ['oauth_codes', 'app_id'],
  ['oauth_tokens', 'app_id'],
  ['custom_fields', 'project_id'],
  ['custom_field_issue_types', 'issue_type_id'],
  ['issue_custom_values', 'item_id'],
  ['attachments', 'issue_id'],
  ['attachments', 'wiki_id'],
  ['attachments', 'project_id'],
  ['attachments', 'blob_id'],
  ['stars', 'project_id'],
  ['notifications', 'issue_id'],
  ['notifications', 'project_id'],
  ['activities', 'project_id'],
  ['webhooks', 'project_id'],
  ['webhook_deliveries', 'webhook_id'],
  ['classic_sessions', 'space_user_id'],
  ['classic_api_keys', 'space_user_id'],
  ['shared_files', 'project_id'],
  ['shared_file_links', 'issue_id'],
  ['shared_file_links', 'wiki_id'],
  ['project_teams', 'team_id'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ORG_TABLES) await db.schema.createIndex(`${table}_org_idx`).ifNotExists().on(table).column('org_id').execute();
  for (const [table, column] of FOREIGN_KEYS) await db.schema.createIndex(`${table}_${column}_fk_idx`).ifNotExists().on(table).column(column).execute();
  // A comment's notifications are listed with it and deleted with it.
  await db.schema.createIndex('notifications_comment_idx').ifNotExists().on('notifications').columns(['org_id', 'comment_id']).execute();
}
