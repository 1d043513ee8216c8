import { sql, type Kysely } from 'kysely';
import type { PurgeBatchResult } from './module';

/** One table of org data: the columns that identify a row (its primary key), org rows found by `org_id`. */
export interface PurgeTable {
  readonly table: string;
  readonly key: readonly string[];
}

/**
 * Deletes at most `batchSize` rows of `orgId` from `tables`, in list order (children before
 * parents), for a module's `purgeOrganization` (W4.1, W4.13). Row-value `IN` over the row's key
 * works the same on SQLite and PostgreSQL; calling again after a crash deletes only what is left.
 */
export async function purgeTablesBatch(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any module's store
  where: { module: string; region: string; orgId: string },
  tables: readonly PurgeTable[],
  batchSize: number,
): Promise<PurgeBatchResult> {
  const deleted: PurgeBatchResult['deleted'][number][] = [];
  let budget = batchSize;
  for (const { table, key } of tables) {
    const cols = sql.join(key.map((k) => sql.ref(k)));
    const result = await sql`delete from ${sql.table(table)} where org_id = ${where.orgId} and (${cols}) in (select ${cols} from ${sql.table(table)} where org_id = ${where.orgId} limit ${budget})`.execute(db);
    const rows = Number(result.numAffectedRows ?? 0);
    if (rows > 0) deleted.push({ module: where.module, region: where.region, kind: table, rows });
    budget -= rows;
    if (budget <= 0) return { done: false, deleted };
  }
  return { done: true, deleted };
}
