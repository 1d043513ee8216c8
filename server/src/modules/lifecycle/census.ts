import type { Kysely } from 'kysely';
import type { Kernel } from '../../kernel/module';
import { tablesWithOrgId } from '../../kernel/purge';
import type { Store } from '../../kernel/store';
import type { PurgeCensus, PurgeProgress, PurgeScope } from './lifecycle.db';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any module's store

/**
 * Counting what a purge deletes when its own records cannot be trusted (W4.1, issue 5 §5).
 *
 * A module deletes a batch in its store and the engine then records the counts in the lifecycle
 * store: two databases (two SQLite files; two schemas with their own pools on PostgreSQL), so no
 * transaction spans both, and a crash between them loses that batch's counts. The engine therefore
 * counts the org's rows per table before it deletes anything (the census); after a resumed run, a
 * kind's count is what the census had minus what is left — rows that were actually deleted — or the
 * recorded sum if that is higher (rows written during the purge and deleted by it). Only counts are
 * read, through the kernel's store registry, the same tables `kernel/purge.ts` deletes from.
 */
const key = (store: Store<unknown>, table: string) => `${store.module}/${store.region}/${table}`;

/** The lifecycle engine's own records of the org (runs, receipts, sunsets) are kept. */
const OWN_STORES = new Set(['lifecycle', 'sunset']);

/** The stores a purge of `scope` deletes from. */
function storesOf(kernel: Kernel, scope: PurgeScope): Store<unknown>[] {
  const wanted = (module: string) => (scope === 'org' ? !OWN_STORES.has(module) : scope === 'audit' ? module === 'audit' : module === 'projects');
  return kernel.stores.list().filter((s) => wanted(s.module));
}

async function countStore(store: Store<unknown>, orgId: string, into: PurgeCensus): Promise<void> {
  const db = store.db as AnyDb;
  for (const table of [...(await tablesWithOrgId(db))].sort()) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirst();
    into[key(store, table)] = Number(row?.n ?? 0);
  }
}

/**
 * Rows of the org per `module/region/table` in the stores a purge of `scope` reaches that are not
 * in `counted` yet (named `module/region`); adds the stores it counted to `counted`.
 */
export async function takeCensus(kernel: Kernel, scope: PurgeScope, orgId: string, counted: Set<string> = new Set()): Promise<PurgeCensus> {
  const census: PurgeCensus = {};
  for (const store of storesOf(kernel, scope)) {
    const name = `${store.module}/${store.region}`;
    if (counted.has(name)) continue;
    await countStore(store, orgId, census);
    counted.add(name);
  }
  return census;
}

/** The stores a stored census covers (those holding rows of the org when it was taken). */
export const censusStores = (census: PurgeCensus): Set<string> => new Set(Object.keys(census).map((k) => k.split('/').slice(0, 2).join('/')));

/**
 * A store opened during the purge (project stores open lazily) joins the census: what is left now
 * plus what the recorded batches took from it, so the census stays "rows before the purge".
 * True when the census grew (it is then stored with the batch's progress).
 */
export async function extendCensus(kernel: Kernel, scope: PurgeScope, orgId: string, census: PurgeCensus, counted: Set<string>, recorded: PurgeCensus): Promise<boolean> {
  if (storesOf(kernel, scope).every((s) => counted.has(`${s.module}/${s.region}`))) return false;
  const added = await takeCensus(kernel, scope, orgId, counted);
  for (const [k, left] of Object.entries(added)) census[k] = left + (recorded[k] ?? 0);
  return Object.keys(added).length > 0;
}

/** Recorded rows per `module/region/kind`, summed over the run's modules. */
export function recordedOf(progress: PurgeProgress): PurgeCensus {
  const sums: PurgeCensus = {};
  for (const entry of Object.values(progress)) for (const [k, rows] of Object.entries(entry.deleted)) sums[k] = (sums[k] ?? 0) + rows;
  return sums;
}

/**
 * What the receipt reports per kind. Without a resume the recorded counts are exact. After one,
 * a kind counts max(recorded, census − left): a batch deleted but never recorded is found in the
 * difference; nothing is counted twice because each row is either still there or gone.
 */
export async function reconcile(kernel: Kernel, scope: PurgeScope, orgId: string, recorded: PurgeCensus, census: PurgeCensus | null, resumed: boolean): Promise<PurgeCensus> {
  if (!resumed || !census) return recorded;
  const left = await takeCensus(kernel, scope, orgId);
  const result: PurgeCensus = { ...recorded };
  for (const [k, before] of Object.entries(census)) {
    const gone = before - (left[k] ?? 0);
    if (gone > (result[k] ?? 0)) result[k] = gone;
  }
  return result;
}
