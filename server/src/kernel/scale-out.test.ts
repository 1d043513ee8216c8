import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from './clock';
import { TestClient } from '../test/client';
import { PASSWORD, signUpUser } from '../test/factories';
import { buildTestApp, type TestApp } from '../test/harness';

/**
 * Two app instances on one set of stores (one PostgreSQL under TORIDE_TEST_DB=postgres) behave as
 * one: sessions, lock-out counters, rate limits and jobs all live in the database.
 */
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  a = await buildTestApp({ config: { rateLimits: 'on' } });
  b = await buildTestApp({ sharedWith: a });
});
afterAll(async () => {
  await b.close();
  await a.close();
});

describe('several instances behind a load balancer', () => {
  it('share sessions: signed in on one, recognised and signed out on the other', async () => {
    const user = await signUpUser(a);
    const onB = new TestClient(b.app);
    onB.setCookie('toride_session', user.client.cookie('toride_session')!);
    onB.setCookie('toride_csrf', user.client.csrfToken!);
    expect((await onB.get('/api/v1/me')).body.account.email).toBe(user.email);
    expect((await onB.delete('/api/v1/sessions/current')).status).toBe(204);
    expect((await user.client.get('/api/v1/me')).status).toBe(401);
  });

  it('share the sign-in lock-out', async () => {
    const user = await signUpUser(a);
    for (let i = 0; i < 5; i += 1) {
      const instance = i % 2 === 0 ? a : b;
      await new TestClient(instance.app).post('/api/v1/sessions', { email: user.email, password: 'wrong password!' });
    }
    expect((await new TestClient(b.app).post('/api/v1/sessions', { email: user.email, password: PASSWORD })).status).toBe(429);
  });

  it('run a due job once across instances', async () => {
    // A day makes every job due, daily ones (audit retention) included.
    a.clock.advance(DAY);
    const ran = await Promise.all([a.jobs.tick(), b.jobs.tick()]);
    const total = ran.reduce((sum, n) => sum + n, 0);
    const rows = await a.kernel.platform.db.selectFrom('jobs').select(['name', 'run_count']).execute();
    expect(total).toBe(rows.reduce((sum, r) => sum + r.run_count, 0));
    expect(rows.every((r) => r.run_count === 1)).toBe(true);
  });
});
