import type { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { openDatabase, type DialectName } from './dialect';
import { StorageHealth, storeOfError, type StorageFaultKind } from './storage-faults';

/**
 * A store is one module's database in one region: its own file (SQLite) or schema (PostgreSQL),
 * its own migrations. No module reads another module's store (DESIGN: Stores, regions, dialects).
 */
export interface StoreSpec {
  readonly module: string;
  readonly region: string;
  readonly migrations: Readonly<Record<string, Migration>>;
}

export interface Store<DB> {
  readonly module: string;
  readonly region: string;
  readonly dialect: DialectName;
  readonly location: string;
  readonly db: Kysely<DB>;
  sizeBytes(): Promise<number>;
}

export class StoreRegistry {
  private readonly stores = new Map<string, { store: Store<unknown>; probe: (write: boolean) => Promise<void>; close: () => Promise<void>; destroy: () => Promise<void> }>();
  /** Fault episodes of every store: logged once each, read by the readiness endpoint (issue 12 §3). */
  readonly health: StorageHealth;

  constructor(
    private readonly config: Config,
    logger: Logger | null = null,
  ) {
    this.health = new StorageHealth(logger);
  }

  private readonly opening = new Map<string, Promise<Store<unknown>>>();

  /**
   * Opens (once) and migrates the store for `spec`. Stores that open lazily (on a first request)
   * may be asked for by concurrent requests: they share one opening instead of racing.
   */
  async open<DB>(spec: StoreSpec): Promise<Store<DB>> {
    const key = `${spec.module}@${spec.region}`;
    const existing = this.stores.get(key);
    if (existing) return existing.store as Store<DB>;
    let pending = this.opening.get(key);
    if (!pending) {
      pending = this.openNew(spec, key).finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return (await pending) as Store<DB>;
  }

  private async openNew(spec: StoreSpec, key: string): Promise<Store<unknown>> {
    const opened = await openDatabase(this.config, spec.module, spec.region, this.health).catch((error: unknown) => {
      // A store opened on first use (projects) fails inside a request: 503, and one log line per episode.
      const ref = storeOfError(error);
      if (ref) this.health.failed(ref, error);
      throw error;
    });
    try {
      await migrateToLatest(opened.db, spec, opened.schema);
    } catch (error) {
      // A failed migration must not leave a pool behind; the next request tries again.
      await opened.close();
      throw error;
    }
    const store: Store<unknown> = {
      module: spec.module,
      region: spec.region,
      dialect: opened.dialect,
      location: opened.location,
      db: opened.db,
      sizeBytes: opened.sizeBytes,
    };
    this.stores.set(key, { store, probe: opened.probe, close: opened.close, destroy: opened.destroy });
    return store;
  }

  list(): Store<unknown>[] {
    return [...this.stores.values()].map((entry) => entry.store);
  }

  /**
   * Readiness (issue 12 §3): every open store answers, and a store in a full, read-only or
   * unavailable episode proves it can write again (so an instance taken out of rotation comes back
   * without traffic). A busy store stays ready: that passes within seconds.
   */
  async readiness(timeoutMs = 3000): Promise<{ ready: boolean; faults: { store: string; fault: StorageFaultKind }[] }> {
    const faults: { store: string; fault: StorageFaultKind }[] = [];
    await Promise.all(
      [...this.stores.entries()].map(async ([key, entry]) => {
        const before = this.health.faultOf(entry.store);
        const probe = entry.probe(Boolean(before && before.kind !== 'busy'));
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('probe timed out')), timeoutMs);
        });
        let failedOtherwise = false;
        try {
          await Promise.race([probe, timeout]);
        } catch {
          failedOtherwise = !this.health.faultOf(entry.store);
          probe.catch(() => undefined);
        } finally {
          clearTimeout(timer);
        }
        const fault = this.health.faultOf(entry.store)?.kind ?? (failedOtherwise ? 'unavailable' : undefined);
        if (fault && fault !== 'busy') faults.push({ store: key, fault });
      }),
    );
    faults.sort((a, b) => a.store.localeCompare(b.store));
    return { ready: faults.length === 0, faults };
  }

  async closeAll(): Promise<void> {
    const entries = [...this.stores.values()];
    this.stores.clear();
    await Promise.all(entries.map((entry) => entry.close()));
  }

  async destroyAll(): Promise<void> {
    const entries = [...this.stores.values()];
    this.stores.clear();
    await Promise.all(entries.map((entry) => entry.destroy()));
  }
}

export async function migrateToLatest(db: Kysely<unknown>, spec: StoreSpec, schema: string | null): Promise<string[]> {
  const migrator = new Migrator({
    db,
    // Without it Kysely's existence check matches the migration table of any schema on the server.
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => ({ ...spec.migrations }) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    // Keep the driver's code (SQLITE_READONLY, 42501…) and the cause: the operator needs the real reason.
    const code = (error as { code?: unknown }).code;
    throw Object.assign(new Error(`Migration ${failed} of store ${spec.module}@${spec.region} failed: ${(error as Error).message}`, { cause: error }), typeof code === 'string' ? { code } : {});
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
