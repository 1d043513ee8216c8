import type { Kysely } from 'kysely';
import type { PurgeBatchResult } from '../../kernel/module';
import { purgeTablesBatch, type PurgeTable } from '../../kernel/purge';

/**
 * Tables of the pass store holding org data, purged with the org (W4.1). Engineers adding pass
 * tables: list them here, children before parents, with their primary key columns.
 */
export const PASS_PURGE_TABLES: PurgeTable[] = [
  { table: 'scim_resources', key: ['org_id', 'resource_type', 'resource_id'] },
  { table: 'scim_tokens', key: ['id'] },
  { table: 'sso_requests', key: ['id'] },
  { table: 'sso_connections', key: ['id'] },
  { table: 'sso_org_settings', key: ['org_id'] },
  { table: 'verified_domains', key: ['id'] },
  { table: 'audit_push_targets', key: ['org_id'] },
];

/** The org's audit entries and its chain head (W4.6): purged with the org, or 30 days after the pass contract ends. */
export const AUDIT_PURGE_TABLES: PurgeTable[] = [
  { table: 'audit_events', key: ['id'] },
  { table: 'audit_chains', key: ['chain_key'] },
];

export async function purgePassOrganization(
  stores: { pass: { db: Kysely<any>; region: string }; audit: { db: Kysely<any>; region: string } }, // eslint-disable-line @typescript-eslint/no-explicit-any -- generic purge
  orgId: string,
  batchSize: number,
): Promise<PurgeBatchResult> {
  const audit = await purgeAuditOrganization(stores.audit, orgId, batchSize);
  if (!audit.done) return audit;
  const budget = batchSize - audit.deleted.reduce((n, d) => n + d.rows, 0);
  if (budget <= 0) return { done: false, deleted: audit.deleted };
  const pass = await purgeTablesBatch(stores.pass.db, { module: 'pass', region: stores.pass.region, orgId }, PASS_PURGE_TABLES, budget);
  return { done: pass.done, deleted: [...audit.deleted, ...pass.deleted] };
}

export function purgeAuditOrganization(
  audit: { db: Kysely<any>; region: string }, // eslint-disable-line @typescript-eslint/no-explicit-any -- generic purge
  orgId: string,
  batchSize: number,
): Promise<PurgeBatchResult> {
  return purgeTablesBatch(audit.db, { module: 'audit', region: audit.region, orgId }, AUDIT_PURGE_TABLES, batchSize);
}
