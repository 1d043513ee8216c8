import type { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import type { Config } from '../config';
import { openDatabase, type DialectName } from './dialect';

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
  private readonly stores = new Map<string, { store: Store<unknown>; close: () => Promise<void>; destroy: () => Promise<void> }>();

  constructor(private readonly config: Config) {}

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
    const opened = await openDatabase(this.config, spec.module, spec.region);
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
    this.stores.set(key, { store, close: opened.close, destroy: opened.destroy });
    return store;
  }

  list(): Store<unknown>[] {
    return [...this.stores.values()].map((entry) => entry.store);
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
    throw new Error(`Migration ${failed} of store ${spec.module}@${spec.region} failed: ${(error as Error).message}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
