import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog } from '../test/backlog-client';
import { signUpUser } from '../test/factories';
import { buildTestApp, testDialect, type TestApp } from '../test/harness';
import { capturedLogger, createScratchDatabase, eventually, type ScratchDatabase } from '../test/scratch-database';

/**
 * Issue 12 §1: terminating the database's backends (what a PostgreSQL restart or failover does)
 * used to kill every app process with an unhandled pool 'error' (57P01). Two instances on one
 * database, in this process: an unhandled 'error' would end the test run. Both must survive, answer
 * 503 + Retry-After or succeed while the database is away, and serve again by themselves.
 * PostgreSQL only (TORIDE_TEST_DB=postgres, the CI's second run); skipped, visibly, on SQLite.
 */
const logA = capturedLogger();
const logB = capturedLogger();
let scratch: ScratchDatabase;
let a: TestApp;
let b: TestApp;
let key: string;

const pgRun = testDialect === 'postgres';

beforeAll(async () => {
  if (!pgRun) return;
  scratch = await createScratchDatabase();
  a = await buildTestApp({ logger: logA.logger, config: { databaseUrl: scratch.url } });
  b = await buildTestApp({ sharedWith: a, logger: logB.logger });
  key = await apiKeyOf(await signUpUser(a));
});
afterAll(async () => {
  if (!pgRun) return;
  await b?.close();
  await a?.close();
  await scratch?.drop();
});

/** One read on each instance, several at once so each pool holds idle clients to be terminated. */
async function readOnBoth() {
  return Promise.all([a, b, a, b, a, b].map((instance) => backlog(instance, key, 'GET', '/users/myself')));
}

describe('two instances on one PostgreSQL (issue 12 §1)', () => {
  it.runIf(pgRun)('survive pg_terminate_backend, answer 503 with Retry-After while the database is away, and serve again by themselves', async () => {
    expect((await readOnBoth()).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);

    // A restart: every backend of the database is terminated from a separate connection.
    expect(await scratch.terminateBackends()).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const answer of await readOnBoth()) {
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 503) expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
    await eventually(async () => (await readOnBoth()).every((r) => r.status === 200), 15_000, 200);

    // The database stays away for a while (a longer restart or a failover in progress).
    await scratch.away();
    for (const answer of await readOnBoth()) {
      expect(answer.status).toBe(503);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      expect(answer.body.errors[0]).toMatchObject({ code: 1 });
    }
    const unready = await b.app.inject({ method: 'GET', url: '/readyz' });
    expect(unready.statusCode).toBe(503);
    expect(unready.json().faults).toEqual(expect.arrayContaining([expect.objectContaining({ fault: 'unavailable' })]));
    expect((await a.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);

    await scratch.back();
    await eventually(async () => (await readOnBoth()).every((r) => r.status === 200), 30_000, 250);
    for (const instance of [a, b]) expect((await instance.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    // Writes too: a new project on one instance is seen by the other.
    expect((await backlog(a, key, 'POST', '/projects', { name: 'Back', key: 'BACK' })).status).toBe(201);
    expect((await backlog(b, key, 'GET', '/projects/BACK')).status).toBe(200);

    // Each instance logged the loss per store once, with the server's code, not once per request.
    for (const log of [logA, logB]) {
      const lost = log.lines.filter((l) => l.level === 50 && l.fault === 'unavailable');
      expect(lost.length).toBeGreaterThan(0);
      expect(lost.length).toBeLessThanOrEqual(2 * new Set(lost.map((l) => l.store)).size);
      expect(lost.map((l) => String(l.code))).toEqual(expect.arrayContaining([expect.stringMatching(/^(57P01|55000|CONNECTION_LOST|ECONNRESET)$/)]));
    }
  }, 90_000);
});
