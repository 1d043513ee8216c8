import { countModule, type Kernel, type ModuleDefinition, type StoreCount } from '../../kernel/module';
import { countOrgRows } from '../../kernel/purge';
import type { PurgeCensus, PurgeProgress, PurgeScope } from './lifecycle.db';

/**
 * Counting what a purge deletes when its own records cannot be trusted (W4.1, issue 5 §5).
 *
 * A module deletes a batch in its store and the engine then records the counts in the lifecycle
 * store: two databases (two SQLite files; two schemas with their own pools on PostgreSQL), so no
 * transaction spans both, and a crash between them loses that batch's counts. The engine therefore
 * counts the org's rows per table before it deletes anything (the census); after a resumed run, a
 * kind's count is what the census had minus what is left — rows that were actually deleted — or the
 * recorded sum if that is higher (rows written during the purge and deleted by it). Each module
 * counts its own stores through its `count` hook (kernel/module.ts), opening the stores it opens
 * lazily, so a store first opened after the org was deleted is counted before the first batch; the
 * kernel's platform store (the mail outbox) is counted here. No module's tables are read directly.
 */
export interface CensusSource {
  readonly kernel: Kernel;
  modules(): readonly ModuleDefinition[];
}

/** The lifecycle engine's own records of the org (runs, receipts, sunsets) are kept. */
const OWN_STORES = new Set(['lifecycle', 'sunset']);

/** Whether a purge of `scope` deletes from a store of `module` (the store's module name). */
const reaches = (scope: PurgeScope, module: string) => (scope === 'org' ? !OWN_STORES.has(module) : scope === 'audit' ? module === 'audit' : module === 'projects');

async function countsOf(source: CensusSource, orgId: string, wanted: (store: { module: string; region: string }) => boolean): Promise<StoreCount[]> {
  const counts = await countOrgRows([source.kernel.platform].filter(wanted), orgId);
  for (const module of source.modules()) counts.push(...(await countModule(module, orgId, wanted)));
  return counts;
}

/**
 * Rows of the org per `module/region/table` in the stores a purge of `scope` reaches that are not
 * in `counted` yet (named `module/region`); adds the stores it counted to `counted`.
 */
export async function takeCensus(source: CensusSource, scope: PurgeScope, orgId: string, counted: Set<string> = new Set()): Promise<PurgeCensus> {
  const census: PurgeCensus = {};
  const wanted = (store: { module: string; region: string }) => reaches(scope, store.module) && !counted.has(`${store.module}/${store.region}`);
  const counts = await countsOf(source, orgId, wanted);
  for (const c of counts) census[`${c.module}/${c.region}/${c.table}`] = c.rows;
  for (const c of counts) counted.add(`${c.module}/${c.region}`);
  return census;
}

/** The stores a stored census covers (those holding rows of the org when it was taken). */
export const censusStores = (census: PurgeCensus): Set<string> => new Set(Object.keys(census).map((k) => k.split('/').slice(0, 2).join('/')));

/**
 * A resumed run whose stored census lacks a store (taken by an older build, before that store was
 * counted) adds it: what is left now plus what the recorded batches took from it, so the census
 * stays "rows before the purge". True when the census grew (it is then stored again).
 */
export async function extendCensus(source: CensusSource, scope: PurgeScope, orgId: string, census: PurgeCensus, counted: Set<string>, recorded: PurgeCensus): Promise<boolean> {
  const added = await takeCensus(source, scope, orgId, counted);
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
export async function reconcile(source: CensusSource, scope: PurgeScope, orgId: string, recorded: PurgeCensus, census: PurgeCensus | null, resumed: boolean): Promise<PurgeCensus> {
  if (!resumed || !census) return recorded;
  const left = await takeCensus(source, scope, orgId);
  const result: PurgeCensus = { ...recorded };
  for (const [k, before] of Object.entries(census)) {
    const gone = before - (left[k] ?? 0);
    if (gone > (result[k] ?? 0)) result[k] = gone;
  }
  return result;
}
