import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { buildApp, type Toride } from '../app';
import { loadConfig, type Config } from '../config';
import { createTestClock, type TestClock } from '../kernel/clock';
import type { Store, StoreRegistry, StoreSpec } from '../kernel/store';

/**
 * One real app per test file, on a real store: SQLite files in a temp folder by default, or fresh
 * PostgreSQL schemas when TORIDE_TEST_DB=postgres (the same suite, both dialects).
 */
export const testDialect = process.env.TORIDE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_DATABASE_URL = process.env.TORIDE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/toride_test';

export interface TestApp extends Toride {
  readonly clock: TestClock;
  readonly config: Config;
}

export async function buildTestApp(options: { clock?: TestClock; config?: Partial<Config>; sharedWith?: TestApp; logger?: Logger } = {}): Promise<TestApp> {
  const clock = options.clock ?? options.sharedWith?.clock ?? createTestClock('2026-11-25T09:00:00.000Z');
  const dataDir = options.sharedWith?.config.dataDir ?? mkdtempSync(path.join(tmpdir(), 'toride-test-'));
  const config =
    options.sharedWith?.config ??
    loadConfig(
      {},
      {
        dataDir,
        secretKey: randomBytes(32).toString('base64'),
        webDir: path.join(dataDir, 'no-web'),
        rateLimits: 'off',
        logLevel: 'silent',
        publicUrl: 'http://127.0.0.1:3000',
        ...(testDialect === 'postgres'
          ? { databaseUrl: TEST_DATABASE_URL, pgSchemaPrefix: `t${randomBytes(5).toString('hex')}_` }
          : {}),
        ...options.config,
      },
    );
  const toride = await withSchemaLock(config, 'shared', () => buildApp(config, { clock, logger: options.logger ?? pino({ level: 'silent' }) }));
  lockLazyStoreOpens(toride.kernel.stores, config);
  const shared = Boolean(options.sharedWith);
  return {
    ...toride,
    clock,
    config,
    async close() {
      await toride.close();
      if (shared) return;
      if (config.databaseUrl) await dropTestSchemas(config);
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Kysely's migrator introspects every schema on the server, and fails when another test file drops
 * its schemas mid-scan. Builds (migrations) share an advisory lock; dropping takes it exclusively.
 * Session locks end with the connection.
 */
const SCHEMA_LOCK_KEY = 7_260_611;

async function withSchemaLock<T>(config: Config, mode: 'shared' | 'exclusive', run: () => Promise<T>): Promise<T> {
  if (!config.databaseUrl) return run();
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await client.query(mode === 'shared' ? 'select pg_advisory_lock_shared($1)' : 'select pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    return await run();
  } finally {
    await client.end();
  }
}

/**
 * Some stores open lazily, after start-up (projects: one per region, on an org's first request);
 * their migrations take the same shared lock. Stores already open skip it.
 */
function lockLazyStoreOpens(stores: StoreRegistry, config: Config): void {
  if (!config.databaseUrl) return;
  const open = stores.open.bind(stores);
  const isOpen = (spec: StoreSpec) => stores.list().some((s) => s.module === spec.module && s.region === spec.region);
  stores.open = <DB>(spec: StoreSpec): Promise<Store<DB>> => (isOpen(spec) ? open<DB>(spec) : withSchemaLock(config, 'shared', () => open<DB>(spec)));
}

async function dropTestSchemas(config: Config): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname like $1', [`${config.pgSchemaPrefix}%`]);
    for (const row of rows) await client.query(`DROP SCHEMA "${row.nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
