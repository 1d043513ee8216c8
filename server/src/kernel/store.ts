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

  /** Opens (once) and migrates the store for `spec`. */
  async open<DB>(spec: StoreSpec): Promise<Store<DB>> {
    const key = `${spec.module}@${spec.region}`;
    const existing = this.stores.get(key);
    if (existing) return existing.store as Store<DB>;
    const opened = await openDatabase(this.config, spec.module, spec.region);
    await migrateToLatest(opened.db, spec, opened.schema);
    const store: Store<DB> = {
      module: spec.module,
      region: spec.region,
      dialect: opened.dialect,
      location: opened.location,
      db: opened.db as Kysely<DB>,
      sizeBytes: opened.sizeBytes,
    };
    this.stores.set(key, { store: store as unknown as Store<unknown>, close: opened.close, destroy: opened.destroy });
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
