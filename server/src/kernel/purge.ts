import { sql, type Kysely } from 'kysely';
import type { PurgeBatchResult, StoreCount } from './module';

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
type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any module's store
const orgTables = new WeakMap<AnyDb, Promise<Set<string>>>();

/** The schema a PostgreSQL store works in; null on SQLite, which has no such function. */
async function currentSchema(db: AnyDb): Promise<string | null> {
  try {
    const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
    return rows[0]?.s ?? null;
  } catch {
    return null;
  }
}

/** Tables of the store that have an `org_id` column (looked up once per store). */
export function tablesWithOrgId(db: AnyDb): Promise<Set<string>> {
  let found = orgTables.get(db);
  if (!found) {
    found = (async () => {
      const schema = await currentSchema(db);
      if (schema) {
        // Only this store's schema: other stores share the server (one schema per module).
        const { rows } = await sql<{ t: string }>`select table_name as t from information_schema.columns where table_schema = ${schema} and column_name = 'org_id'`.execute(db);
        return new Set(rows.map((r) => r.t));
      }
      const tables = await db.introspection.getTables();
      return new Set(tables.filter((t) => t.columns.some((c) => c.name === 'org_id')).map((t) => t.name));
    })();
    orgTables.set(db, found);
  }
  return found;
}

/**
 * Which of `tables` still hold rows of the org, asked in one statement: a batch then costs one
 * round trip plus a delete per table that has rows, not a delete per table (W4.13 — on PostgreSQL
 * each statement waits its turn behind the other orgs' requests, so per-table round trips made a
 * million-row purge crawl; see `npm run bench -- purge`).
 */
async function tablesHoldingOrg(db: AnyDb, tables: readonly string[], orgId: string): Promise<Set<string>> {
  if (tables.length === 0) return new Set();
  const probes = tables.map((table) => sql`select ${sql.lit(table)} as t where exists (select 1 from ${sql.table(table)} where org_id = ${orgId})`);
  const { rows } = await sql<{ t: string }>`${sql.join(probes, sql` union all `)}`.execute(db);
  return new Set(rows.map((r) => r.t));
}

/**
 * `tables` gives the order and row keys; a listed table that does not exist (yet) is skipped, and
 * a table with an `org_id` column that is neither listed nor in `keep` is still purged first,
 * in one statement — so a table added without updating the list is never missed (W4.13).
 */
export async function purgeTablesBatch(
  db: AnyDb,
  where: { module: string; region: string; orgId: string },
  tables: readonly PurgeTable[],
  batchSize: number,
  keep: readonly string[] = [],
): Promise<PurgeBatchResult> {
  const deleted: PurgeBatchResult['deleted'][number][] = [];
  let budget = batchSize;
  const existing = await tablesWithOrgId(db);
  const listed = new Set(tables.map((t) => t.table));
  // Unlisted tables first: new tables are usually children of listed ones (cascades would hide their rows from the counts).
  const plan = [
    ...[...existing].filter((name) => !listed.has(name) && !keep.includes(name)).sort().map((table) => ({ table, key: null })),
    ...tables.filter((t) => existing.has(t.table)),
  ];
  const holding = await tablesHoldingOrg(db, plan.map((entry) => entry.table), where.orgId);
  for (const { table, key } of plan) {
    if (!holding.has(table)) continue;
    const cols = key ? sql.join(key.map((k) => sql.ref(k))) : null;
    const result = cols
      ? await sql`delete from ${sql.table(table)} where org_id = ${where.orgId} and (${cols}) in (select ${cols} from ${sql.table(table)} where org_id = ${where.orgId} limit ${budget})`.execute(db)
      : await sql`delete from ${sql.table(table)} where org_id = ${where.orgId}`.execute(db);
    const rows = Number(result.numAffectedRows ?? 0);
    if (rows > 0) deleted.push({ module: where.module, region: where.region, kind: table, rows });
    budget -= rows;
    if (budget <= 0) return { done: false, deleted };
  }
  return { done: true, deleted };
}

/** A store as the counter sees it (any module's `Store<DB>`). */
export interface OrgStore {
  readonly module: string;
  readonly region: string;
  readonly db: unknown;
}

/** Rows of `orgId` in every `org_id` table of `stores` (zeros included: the table was counted). */
export async function countOrgRows(stores: readonly OrgStore[], orgId: string): Promise<StoreCount[]> {
  const counts: StoreCount[] = [];
  for (const store of stores) {
    const db = store.db as AnyDb;
    for (const table of [...(await tablesWithOrgId(db))].sort()) {
      const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirst();
      counts.push({ module: store.module, region: store.region, table, rows: Number(row?.n ?? 0) });
    }
  }
  return counts;
}
