import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testDialect, type TestApp } from '../test/harness';
import { capturedLogger, createScratchDatabase, eventually, type ScratchDatabase } from '../test/scratch-database';
import { MINUTE } from './clock';
import { defineJob, JobRunner } from './jobs';

/**
 * Issue 12 §2: a database error in a job tick used to reject inside setInterval and end the process.
 * A tick against a store that cannot write logs once, backs off, goes on and recovers by itself.
 * The store is real: SQLite with `query_only` (SQLITE_READONLY), PostgreSQL whose database refuses
 * connections (what a restart looks like).
 */
const log = capturedLogger();
let t: TestApp;
let scratch: ScratchDatabase | null = null;

beforeAll(async () => {
  if (testDialect === 'postgres') scratch = await createScratchDatabase();
  t = await buildTestApp({ logger: log.logger, ...(scratch ? { config: { databaseUrl: scratch.url } } : {}) });
});
afterAll(async () => {
  await t.close();
  await scratch?.drop();
});

const messages = (pattern: RegExp) => log.lines.filter((line) => pattern.test(String(line.msg)));

describe('job ticks against a failing store (issue 12 §2)', () => {
  it('log the failure once, back off, keep the process alive and run the job when the store writes again', async () => {
    let runs = 0;
    const job = defineJob({ name: 'test.faulty-store', schedule: '* * * * *', run: async () => void (runs += 1) });
    const runner = new JobRunner(t.kernel.platform.db, t.clock, log.logger, [job]);
    await runner.register();
    t.clock.advance(MINUTE);

    if (scratch) await scratch.away();
    else await sql`pragma query_only = 1`.execute(t.kernel.platform.db);
    runner.start(0.05);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(runs).toBe(0);
    const tickFailures = messages(/^job tick failed;/);
    expect(tickFailures).toHaveLength(1);
    // Several ticks failed, but the log says so once, and the store's line names the store and the real code.
    const storeFaults = messages(/^store platform@/).filter((line) => line.level === 50);
    expect(storeFaults).toHaveLength(1);
    expect(storeFaults[0]).toMatchObject({ store: `platform@${t.config.regionPlatform}`, fault: scratch ? 'unavailable' : 'read_only' });
    expect(String(storeFaults[0]!.code)).toMatch(scratch ? /^(57P01|55000|ECONNRESET|CONNECTION_LOST|TORIDE_STORE_BACKOFF)$/ : /^SQLITE_READONLY/);
    expect(messages(/job tick failed again/).length).toBeGreaterThanOrEqual(1);

    if (scratch) await scratch.back();
    else await sql`pragma query_only = 0`.execute(t.kernel.platform.db);
    await eventually(() => runs === 1, 20_000);
    expect(messages(/^job ticks recovered/)).toHaveLength(1);
    expect(messages(/^store platform@.* recovered/)).toHaveLength(1);
    await runner.stop();
    const row = await t.kernel.platform.db.selectFrom('jobs').selectAll().where('name', '=', job.name).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ run_count: 1, last_status: 'success', lease_owner: null });
  }, 40_000);
});
