import { setImmediate as yieldToOthers } from 'node:timers/promises';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import type { Store } from '../server/src/kernel/store';
import { SEEDED_TABLES } from './purge-seed';

/**
 * The bare baseline of `npm run bench -- purge`: the seeded rows deleted with nothing but the
 * driver — `DELETE … WHERE id IN (SELECT id … WHERE org_id = ? LIMIT n)` per table until empty,
 * on stores seeded identically (same schema, triggers, foreign keys, indexes). It yields between
 * batches like the engine does, or the neighbour's requests would not run at all on SQLite.
 */
interface Runner {
  run(text: string, params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

async function open(store: Store<unknown>, databaseUrl: string | undefined): Promise<Runner> {
  if (store.dialect === 'sqlite') {
    // The same connection settings as kernel/dialect.ts.
    const db = new Database(store.location);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    const cache = new Map<string, Database.Statement>();
    return {
      run: async (text, params) => {
        const sqlText = text.replace(/\$\d+/g, '?');
        let statement = cache.get(sqlText);
        if (!statement) cache.set(sqlText, (statement = db.prepare(sqlText)));
        return statement.run(...params).changes;
      },
      close: async () => {
        db.close();
      },
    };
  }
  const schema = store.location.replace(/^schema /, '');
  const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path="${schema}"` });
  await client.connect();
  return {
    run: async (text, params) => (await client.query(text, params)).rowCount ?? 0,
    close: () => client.end(),
  };
}

/** Deletes the org's seeded rows; returns how many. */
export async function bareDelete(
  stores: { projects: Store<unknown>; audit: Store<unknown> },
  options: { orgId: string; batchSize: number; databaseUrl?: string | undefined },
): Promise<number> {
  const { orgId, batchSize, databaseUrl } = options;
  const projects = await open(stores.projects, databaseUrl);
  const audit = await open(stores.audit, databaseUrl);
  let deleted = 0;
  try {
    for (const table of SEEDED_TABLES) {
      const runner = table === 'audit_events' ? audit : projects;
      const statement = `delete from ${table} where id in (select id from ${table} where org_id = $1 limit $2)`;
      for (;;) {
        const rows = await runner.run(statement, [orgId, batchSize]);
        deleted += rows;
        await yieldToOthers();
        if (rows < batchSize) break;
      }
    }
  } finally {
    await projects.close();
    await audit.close();
  }
  return deleted;
}
