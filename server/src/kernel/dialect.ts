import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type ColumnDefinitionBuilder } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import { guardDialect } from './guarded-driver';
import { StorageHealth, storeKeyOf, tagStoreError, type StoreRef } from './storage-faults';

/**
 * The only file that knows whether a store is SQLite or PostgreSQL. Repositories and services
 * write portable Kysely; the few real differences (connection set-up, sizes, error codes) live here.
 */
export type DialectName = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  readonly dialect: DialectName;
  readonly db: Kysely<unknown>;
  /** Where the store lives, for operators: a file path or a PostgreSQL schema. */
  readonly location: string;
  /** The PostgreSQL schema of the store (the Migrator must look only there), or null on SQLite. */
  readonly schema: string | null;
  sizeBytes(): Promise<number>;
  /** A cheap check for readiness; `write` also proves the store can write (issue 12 §3). */
  probe(write: boolean): Promise<void>;
  close(): Promise<void>;
  /** Removes the store's data entirely (tests and whole-service sunset only). */
  destroy(): Promise<void>;
}

export const schemaNameFor = (config: Config, module: string, region: string) =>
  `${config.pgSchemaPrefix}${module}_${region.replace(/-/g, '_')}`;

export async function openDatabase(config: Config, module: string, region: string, health = new StorageHealth()): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    const schema = schemaNameFor(config, module, region);
    return openPostgres(config.databaseUrl, schema, { module, region, location: `schema ${schema}` }, health);
  }
  const file = path.join(config.dataDir, region, `${module}.db`);
  return openSqlite(file, { module, region, location: file }, health);
}

function openSqlite(file: string, ref: StoreRef, health: StorageHealth): OpenedDatabase {
  let database: SqliteDatabase.Database | undefined;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    database = new SqliteDatabase(file);
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    // WAL needs its -wal and -shm files next to the database: a read-only folder fails here, after the open.
    database?.close();
    throw new StoreOpenError(ref, error, sqliteFix(file, error));
  }
  const opened = database;
  const dialect = new SqliteDialect({ database: withStatementCache(opened) });
  const db = new Kysely<unknown>({ dialect: guardDialect(dialect, { store: ref, health, inTransaction: () => opened.inTransaction }) });
  const size = (suffix: string) => {
    try {
      return statSync(file + suffix).size;
    } catch {
      return 0;
    }
  };
  return {
    dialect: 'sqlite',
    db,
    location: file,
    schema: null,
    sizeBytes: async () => size('') + size('-wal'),
    // Rewriting user_version with its own value is a real write (a WAL frame): it fails while the
    // disk is full or the file read-only, and succeeds once the store can write again.
    probe: async (write) => {
      const { rows } = await sql<{ user_version: number }>`pragma user_version`.execute(db);
      if (!write) return;
      // A store at its page limit (max_page_count) with no free page cannot grow, whatever the disk says.
      const pages = (name: string) => Number(opened.pragma(name, { simple: true }));
      if (pages('page_count') >= pages('max_page_count') && pages('freelist_count') === 0) {
        const error = tagStoreError(Object.assign(new Error('database or disk is full (max_page_count reached)'), { code: 'SQLITE_FULL' }), ref);
        health.failed(ref, error);
        throw error;
      }
      await sql.raw(`pragma user_version = ${Number(rows[0]?.user_version ?? 0)}`).execute(db);
    },
    close: () => db.destroy(),
    destroy: async () => {
      await db.destroy();
    },
  };
}

/** What an operator should do when a store's file cannot be opened (issue 12 §6). */
function sqliteFix(file: string, error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? '');
  const folder = path.dirname(file);
  const user = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
  if (code === 'ENOSPC' || code.startsWith('SQLITE_FULL')) return `free space on the volume that holds ${folder}.`;
  if (code.startsWith('SQLITE_NOTADB')) return `${file} is not a Toride database, or it is encrypted with another key: restore it from a backup or move it away.`;
  if (code === 'ENOTDIR' || code === 'EEXIST') return `${folder} must be a folder: move the file that is in its way, or set TORIDE_DATA_DIR to another folder.`;
  return `make ${folder} and the files in it writable by the user running Toride${user}, e.g. \`chown -R <user> ${folder}\`, or set TORIDE_DATA_DIR to a writable folder.`;
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and its calls are
 * synchronous, so one cached statement per SQL text is safe and saves the re-parse.
 */
function withStatementCache(database: SqliteDatabase.Database, limit = 500) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sqlText: string) {
      let statement = cache.get(sqlText);
      if (!statement) {
        if (cache.size >= limit) cache.clear();
        statement = database.prepare(sqlText);
        cache.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/** How long a request waits for a new PostgreSQL connection before the store counts as away. */
const PG_CONNECT_TIMEOUT_MS = 5000;
/** Reconnect backoff after the server went away: 0.25 s, 0.5 s, 1 s… up to 10 s (issue 12 §1). */
const PG_BACKOFF = { minMs: 250, maxMs: 10_000 };

async function openPostgres(connectionString: string, schema: string, ref: StoreRef, health: StorageHealth): Promise<OpenedDatabase> {
  const setup = new pg.Client({ connectionString, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  // A connection lost during set-up rejects the pending call; without a listener it would also crash.
  setup.on('error', () => undefined);
  try {
    await setup.connect();
    await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two instances starting together may race on the same CREATE SCHEMA; the loser sees 23505.
    if (!isUniqueViolation(error)) throw new StoreOpenError(ref, error, postgresFix(connectionString, error));
  } finally {
    await setup.end().catch(() => undefined);
  }
  const pool = new pg.Pool({ connectionString, max: 5, options: `-c search_path="${schema}"`, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, keepAlive: true });
  // A restart or failover terminates every connection (57P01). pg-pool drops an idle client that
  // errs and emits 'error'; a client in use emits it on itself. Unheard, either event kills the
  // process (issue 12 §1): report it once per episode instead; the next query connects anew.
  const lost = (error: Error) => void health.failed(ref, tagStoreError(error, ref));
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  const db = new Kysely<unknown>({ dialect: guardDialect(new PostgresDialect({ pool }), { store: ref, health, backoff: PG_BACKOFF }) });
  return {
    dialect: 'postgres',
    db,
    location: `schema ${schema}`,
    schema,
    sizeBytes: async () => {
      const result = await sql<{ bytes: string | null }>`
        select sum(pg_total_relation_size(c.oid)) as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind = 'r'`.execute(db);
      return Number(result.rows[0]?.bytes ?? 0);
    },
    // A standby (after a failover) answers reads but refuses writes with 25006.
    probe: async (write) => {
      const { rows } = await sql<{ ro: string }>`select current_setting('transaction_read_only') as ro`.execute(db);
      if (write && rows[0]?.ro === 'on') {
        const error = tagStoreError(Object.assign(new Error('the PostgreSQL server is read-only (a standby?)'), { code: '25006' }), ref);
        health.failed(ref, error);
        throw error;
      }
      if (write) health.succeeded(ref, true);
    },
    close: () => db.destroy(),
    destroy: async () => {
      await sql.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).execute(db);
      await db.destroy();
    },
  };
}

/** Names the server (never the password) and what to change (issue 12 §6). */
function postgresFix(connectionString: string, error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? '');
  let server = 'the server of TORIDE_DATABASE_URL';
  try {
    const url = new URL(connectionString);
    server = `${url.hostname}:${url.port || '5432'}, database ${url.pathname.slice(1) || '(default)'}`;
  } catch {
    // keep the generic name
  }
  if (code === '28P01' || code === '28000') return `the user or password in TORIDE_DATABASE_URL is refused by ${server}.`;
  if (code === '3D000') return `create the database on ${server} (createdb), or fix its name in TORIDE_DATABASE_URL.`;
  if (code === '42501') return `grant the TORIDE_DATABASE_URL user CREATE on the database (${server}).`;
  return `start PostgreSQL at ${server} or fix host and port in TORIDE_DATABASE_URL; check firewalls between here and there.`;
}

/**
 * A store that cannot be opened at start-up (or on first use) names the store, where it lives, the
 * driver's code and the fix; `code` keeps the driver's code so the CLI prints it first.
 */
export class StoreOpenError extends Error {
  readonly code: string;
  constructor(store: StoreRef, cause: unknown, fix: string) {
    const code = String((cause as { code?: unknown } | null)?.code ?? 'ERROR');
    const reason = (cause as { message?: string } | null)?.message ?? String(cause);
    super(`Cannot open store ${storeKeyOf(store)} at ${store.location}: ${reason} (${code}). Fix: ${fix}`, { cause });
    this.name = 'StoreOpenError';
    this.code = code;
    tagStoreError(this, store, true);
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** PostgreSQL returns bigint aggregates as strings; SQLite returns numbers. */
export const toCount = (value: unknown): number => Number(value ?? 0);

/**
 * An integer primary key the database numbers (for wire formats that need numeric ids, e.g. the
 * Backlog API): `integer primary key autoincrement` on SQLite, an identity column on PostgreSQL.
 * Migrations call it with their `Kysely<any>`; the dialect is read from the query adapter.
 */
export function autoIncrementPrimaryKey(db: Kysely<unknown>): (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return (column) => (postgres ? column.generatedByDefaultAsIdentity().primaryKey() : column.primaryKey().autoIncrement());
}

/** Which dialect an open Kysely instance speaks (for the few per-dialect repositories, e.g. search). */
export const dialectOfDb = (db: Kysely<any>): DialectName => (db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'); // eslint-disable-line @typescript-eslint/no-explicit-any -- any store's Kysely
