import type { Kysely } from 'kysely';
import type { Kernel, PurgeBatchResult } from '../../kernel/module';
import { purgeTablesBatch, type PurgeTable } from '../../kernel/purge';
import { projectsStoreSpec, type ProjectsDb } from './projects.db';

/**
 * Everything of an org's project space, purged with the org (W4.1) or when a classic space is
 * cancelled (W4.9). Kept (W4.10): the `spaces` row (the project space id) and `classic_spaces`
 * (the classic contract record). Engineers adding projects tables: list them here, children
 * before parents, with their key columns (a non-unique key is fine: a batch may then run a little over).
 */
export const PROJECTS_PURGE_TABLES: PurgeTable[] = [
  { table: 'webhook_deliveries', key: ['id'] },
  { table: 'webhooks', key: ['id'] },
  { table: 'activities', key: ['id'] },
  { table: 'notifications', key: ['id'] },
  { table: 'watchings', key: ['id'] },
  { table: 'stars', key: ['id'] },
  { table: 'recent_views', key: ['user_id', 'kind', 'target_id'] },
  { table: 'space_notices', key: ['org_id'] },
  { table: 'shared_file_links', key: ['id'] },
  { table: 'shared_file_data', key: ['file_id'] },
  { table: 'shared_files', key: ['id'] },
  { table: 'attachments', key: ['id'] },
  { table: 'blobs', key: ['id'] },
  { table: 'issue_custom_values', key: ['issue_id', 'field_id'] },
  { table: 'custom_field_issue_types', key: ['field_id', 'issue_type_id'] },
  { table: 'custom_field_items', key: ['id'] },
  { table: 'custom_fields', key: ['id'] },
  { table: 'comment_changes', key: ['comment_id', 'position'] },
  { table: 'comments', key: ['id'] },
  { table: 'issue_links', key: ['issue_id', 'kind', 'target_id'] },
  { table: 'issue_relations', key: ['low_issue_id', 'high_issue_id'] },
  { table: 'issues', key: ['id'] },
  { table: 'wiki_page_tags', key: ['wiki_id', 'tag_id'] },
  { table: 'wiki_tags', key: ['id'] },
  { table: 'wiki_history', key: ['id'] },
  { table: 'wikis', key: ['id'] },
  { table: 'documents', key: ['id'] },
  { table: 'versions', key: ['id'] },
  { table: 'statuses', key: ['id'] },
  { table: 'categories', key: ['id'] },
  { table: 'issue_types', key: ['id'] },
  { table: 'project_teams', key: ['project_id', 'team_id'] },
  { table: 'space_team_members', key: ['team_id', 'user_id'] },
  { table: 'space_teams', key: ['id'] },
  { table: 'project_members', key: ['project_id', 'user_id'] },
  { table: 'projects', key: ['id'] },
  { table: 'oauth_tokens', key: ['id'] },
  { table: 'oauth_codes', key: ['code_hash'] },
  { table: 'oauth_apps', key: ['id'] },
  { table: 'space_restrictions', key: ['org_id', 'account_id'] },
  { table: 'classic_sessions', key: ['id'] },
  { table: 'classic_api_keys', key: ['id'] },
  { table: 'classic_users', key: ['space_user_id'] },
  { table: 'space_users', key: ['id'] },
];

/** W4.10: the project space id and the classic contract record stay. */
export const PROJECTS_KEEP_TABLES = ['spaces', 'classic_spaces'];

/** Every region a project space may live in (W3.2). */
export const projectsRegions = (kernel: Kernel): string[] => [...new Set([kernel.config.regionProjectsJa, kernel.config.regionProjectsEn])];

export async function purgeProjectsOrganization(kernel: Kernel, orgId: string, batchSize: number): Promise<PurgeBatchResult> {
  const deleted: PurgeBatchResult['deleted'][number][] = [];
  let budget = batchSize;
  for (const region of projectsRegions(kernel)) {
    const db = (await kernel.stores.open<ProjectsDb>(projectsStoreSpec(region))).db as Kysely<ProjectsDb>;
    const result = await purgeTablesBatch(db, { module: 'projects', region, orgId }, PROJECTS_PURGE_TABLES, budget, PROJECTS_KEEP_TABLES);
    deleted.push(...result.deleted);
    budget -= result.deleted.reduce((n, d) => n + d.rows, 0);
    if (!result.done || budget <= 0) return { done: false, deleted };
    await db.updateTable('spaces').set({ purged_at: kernel.clock.now().toISOString() }).where('org_id', '=', orgId).where('purged_at', 'is', null).execute();
  }
  return { done: true, deleted };
}
