import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { TEST_DATABASE_URL } from './harness';

/**
 * A PostgreSQL database of its own for tests that terminate backends or refuse connections
 * (issue 12 §1): doing that to the shared test database would break other test files running in
 * parallel. `away()` is what a restart or failover looks like from the app: every backend is
 * terminated (57P01) and new connections are refused until `back()`.
 */
export interface ScratchDatabase {
  readonly url: string;
  /** `SELECT pg_terminate_backend(pid) … WHERE datname = current_database()` from a separate connection. */
  terminateBackends(): Promise<number>;
  away(): Promise<void>;
  back(): Promise<void>;
  /** Writes fail with 25006 as on a standby, until `writable()`. */
  readOnly(): Promise<void>;
  writable(): Promise<void>;
  drop(): Promise<void>;
}

async function onAdmin<T>(run: (client: pg.Client) => Promise<T>, url = TEST_DATABASE_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `toride_fault_${randomBytes(5).toString('hex')}`;
  await onAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const terminate = () => onAdmin(async (c) => (await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name])).rowCount ?? 0);
  return {
    url: url.toString(),
    terminateBackends: () =>
      onAdmin(async (c) => (await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rowCount ?? 0, url.toString()),
    away: async () => {
      await onAdmin((c) => c.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`));
      await terminate();
    },
    back: async () => {
      await onAdmin((c) => c.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`));
    },
    readOnly: async () => {
      await onAdmin((c) => c.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = on`));
      await terminate();
    },
    writable: async () => {
      await onAdmin((c) => c.query(`ALTER DATABASE "${name}" RESET default_transaction_read_only`));
      await terminate();
    },
    drop: async () => {
      await onAdmin(async (c) => {
        await c.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    },
  };
}

/** Polls until `check` holds (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A pino logger whose lines a test can read back, parsed. */
export function capturedLogger(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = pino({ level }, { write: (line: string) => (raw.push(line), lines.push(JSON.parse(line) as Record<string, unknown>)) });
  return { logger, lines, raw };
}
