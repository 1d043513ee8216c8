import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type ColumnDefinitionBuilder } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';

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
  close(): Promise<void>;
  /** Removes the store's data entirely (tests and whole-service sunset only). */
  destroy(): Promise<void>;
}

export const schemaNameFor = (config: Config, module: string, region: string) =>
  `${config.pgSchemaPrefix}${module}_${region.replace(/-/g, '_')}`;

export async function openDatabase(config: Config, module: string, region: string): Promise<OpenedDatabase> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, schemaNameFor(config, module, region))
    : openSqlite(path.join(config.dataDir, region, `${module}.db`));
}

function openSqlite(file: string): OpenedDatabase {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
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
    close: () => db.destroy(),
    destroy: async () => {
      await db.destroy();
    },
  };
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

async function openPostgres(connectionString: string, schema: string): Promise<OpenedDatabase> {
  const setup = new pg.Client({ connectionString });
  await setup.connect();
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two instances starting together may race on the same CREATE SCHEMA; the loser sees 23505.
    if (!isUniqueViolation(error)) throw error;
  } finally {
    await setup.end();
  }
  const pool = new pg.Pool({ connectionString, max: 5, options: `-c search_path="${schema}"` });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
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
    close: () => db.destroy(),
    destroy: async () => {
      await sql.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).execute(db);
      await db.destroy();
    },
  };
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
