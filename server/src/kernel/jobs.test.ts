import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildTestApp, type TestApp } from '../test/harness';
import { MINUTE } from './clock';
import { defineJob, JobRunner, nextRunAfter } from './jobs';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('durable jobs', () => {
  it('computes the next run from the cron schedule in UTC', () => {
    expect(nextRunAfter('17 * * * *', new Date('2026-11-25T09:20:00Z')).toISOString()).toBe('2026-11-25T10:17:00.000Z');
  });

  it('runs a due job once even with two instances racing on one database', async () => {
    let runs = 0;
    const job = defineJob({
      name: 'test.count',
      schedule: '*/5 * * * *',
      run: async () => {
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    const logger = pino({ level: 'silent' });
    const a = new JobRunner(t.kernel.platform.db, t.clock, logger, [job]);
    const b = new JobRunner(t.kernel.platform.db, t.clock, logger, [job]);
    await a.register();
    await b.register();
    expect(await Promise.all([a.tick(), b.tick()])).toEqual([0, 0]);
    t.clock.advance(5 * MINUTE);
    const ran = await Promise.all([a.tick(), b.tick()]);
    expect(ran.sort()).toEqual([0, 1]);
    expect(runs).toBe(1);
    expect(await Promise.all([a.tick(), b.tick()])).toEqual([0, 0]);
    t.clock.advance(5 * MINUTE);
    await Promise.all([b.tick(), a.tick()]);
    expect(runs).toBe(2);
    const row = await t.kernel.platform.db.selectFrom('jobs').selectAll().where('name', '=', 'test.count').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ run_count: 2, last_status: 'success', lease_owner: null });
  });

  it('records a failure and still schedules the next run', async () => {
    const job = defineJob({ name: 'test.fail', schedule: '* * * * *', run: async () => Promise.reject(new Error('boom')) });
    const runner = new JobRunner(t.kernel.platform.db, t.clock, pino({ level: 'silent' }), [job]);
    await runner.register();
    t.clock.advance(MINUTE);
    expect(await runner.tick()).toBe(1);
    const row = await t.kernel.platform.db.selectFrom('jobs').selectAll().where('name', '=', 'test.fail').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ last_status: 'failed', last_error: 'boom' });
    expect(row.next_run_at > t.clock.now().toISOString()).toBe(true);
  });

  it('takes over a lease left behind by a crashed instance once it expires', async () => {
    let runs = 0;
    const job = defineJob({ name: 'test.lease', schedule: '* * * * *', leaseSeconds: 60, run: async () => void (runs += 1) });
    const runner = new JobRunner(t.kernel.platform.db, t.clock, pino({ level: 'silent' }), [job]);
    await runner.register();
    t.clock.advance(MINUTE);
    const stale = new Date(t.clock.now().getTime() + 30_000).toISOString();
    await t.kernel.platform.db.updateTable('jobs').set({ lease_owner: 'crashed', lease_until: stale }).where('name', '=', 'test.lease').execute();
    expect(await runner.tick()).toBe(0);
    t.clock.advance(31_000);
    expect(await runner.tick()).toBe(1);
    expect(runs).toBe(1);
  });

  it('registers the built-in cleanup jobs with the app', async () => {
    const names = (await t.kernel.platform.db.selectFrom('jobs').select('name').execute()).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['kernel.rate-limit-cleanup', 'identity.expire-credentials']));
  });
});
