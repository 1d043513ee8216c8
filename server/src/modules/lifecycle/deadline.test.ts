import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, SECOND } from '../../kernel/clock';
import { PASSWORD, signUpUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

/**
 * Issue 16 §1, §2 (W4.1, W4.2, W4.8, W4.13, W4.14): restore is refused from the purge deadline on,
 * whatever the job did; the purge (and the automatic deletion, and a sunset) starts at its instant
 * by the deadline timer — with the default settings, after a restart just before the deadline, and
 * with two instances on one database. `base` never starts its job runner: only the instances under
 * test act, and nothing here calls a tick.
 */
let base: TestApp;
beforeAll(async () => {
  base = await buildTestApp();
});
afterAll(async () => {
  await base.close();
});

/** A started instance, as `toride serve` runs it (default job interval). */
async function instance(): Promise<TestApp> {
  const app = await buildTestApp({ sharedWith: base });
  app.jobs.start(app.config.jobsIntervalSeconds);
  return app;
}

async function deletedOrg(): Promise<{ orgId: string; purgeAt: string; admin: Awaited<ReturnType<typeof signUpUser>> }> {
  const admin = await signUpUser(base);
  const deleted = await admin.client.post(`/api/v1/orgs/${admin.orgId}/lifecycle/delete`, { password: PASSWORD });
  expect(deleted.status).toBe(200);
  return { orgId: admin.orgId, purgeAt: deleted.body.services[0].purgeAt as string, admin };
}

/** Waits (real time) for the org's purge run to exist; the test clock does not move meanwhile. */
async function runOf(orgId: string, status?: 'completed') {
  for (let i = 0; i < 200; i += 1) {
    const run = await base.lifecycle.deps.repo.run(orgId, 'org');
    if (run && (!status || run.status === status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${status ?? ''} purge run of ${orgId}`);
}

const lateMs = (startedAt: string, dueAt: string) => Date.parse(startedAt) - Date.parse(dueAt);

describe('lifecycle deadlines to the second (issue 16 §1, §2; W4.13, W4.14)', () => {
  it('restore at deadline + 1 s is refused with 409 lifecycle.purge_started and restorable is false, before any job ran', async () => {
    const { orgId, purgeAt, admin } = await deletedOrg();
    base.clock.set(new Date(Date.parse(purgeAt) - SECOND));
    expect((await base.lifecycle.service.view(orgId)).restorable).toBe(true);
    base.clock.set(new Date(Date.parse(purgeAt) + SECOND));
    // Sessions do not last 180 days.
    expect((await admin.client.post('/api/v1/sessions', { email: admin.email, password: PASSWORD })).status).toBe(200);
    const view = await admin.client.get(`/api/v1/orgs/${orgId}/lifecycle`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ restorable: false, purges: [] });
    const restore = await admin.client.post(`/api/v1/orgs/${orgId}/lifecycle/restore`, { password: PASSWORD });
    expect(restore.status).toBe(409);
    expect(restore.body.error.code).toBe('lifecycle.purge_started');
    // Nor can an operator move the state back: the deletion is final (W4.14).
    await expect(base.lifecycle.service.setState(orgId, 'workspace', 'paid', {}, { type: 'system' }, null, 'test')).rejects.toMatchObject({ code: 'lifecycle.purge_started' });
    expect((await base.lifecycle.service.view(orgId)).planState).toBe('deleted');
    // The poll still purges it (the timer's safety net).
    await base.lifecycle.engine.runDue();
    expect((await runOf(orgId, 'completed')).status).toBe('completed');
  }, 180_000);

  it('the purge starts ≤ 1 s after its deadline by the timer alone (default settings)', async () => {
    const { orgId, purgeAt } = await deletedOrg();
    const a = await instance();
    try {
      base.clock.set(new Date(Date.parse(purgeAt) - 2 * SECOND));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await base.lifecycle.deps.repo.run(orgId, 'org')).toBeUndefined();
      base.clock.set(purgeAt);
      const run = await runOf(orgId);
      expect(run.due_at).toBe(purgeAt);
      expect(lateMs(run.started_at, purgeAt)).toBeGreaterThanOrEqual(0);
      expect(lateMs(run.started_at, purgeAt)).toBeLessThanOrEqual(SECOND);
      await runOf(orgId, 'completed');
    } finally {
      await a.close();
    }
  }, 180_000);

  it('a state change re-arms the timer: a trial deletion (W4.2) happens at its instant', async () => {
    const a = await instance();
    try {
      const admin = await signUpUser(a);
      const trialEndsAt = new Date(base.clock.now().getTime() + 10 * DAY);
      await a.lifecycle.service.setState(admin.orgId, 'workspace', 'trial', { trialEndsAt }, { type: 'system' }, null, 'test');
      const autoDeleteAt = new Date(trialEndsAt.getTime() + 30 * DAY).toISOString();
      base.clock.set(autoDeleteAt);
      let contract;
      for (let i = 0; i < 200 && contract?.state !== 'deleted'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        contract = await base.lifecycle.deps.repo.contract(admin.orgId, 'workspace');
      }
      expect(contract).toMatchObject({ state: 'deleted', deleted_at: autoDeleteAt });
      const history = await base.lifecycle.deps.repo.historyOf(admin.orgId);
      expect(history.at(-1)).toMatchObject({ to_state: 'deleted', actor: 'system:lifecycle' });
    } finally {
      await a.close();
    }
  }, 180_000);

  it('after a restart just before the deadline, the new instance starts the purge ≤ 1 s after it', async () => {
    const { orgId, purgeAt } = await deletedOrg();
    const before = await instance();
    base.clock.set(new Date(Date.parse(purgeAt) - SECOND));
    await before.close();
    const after = await instance();
    try {
      base.clock.set(new Date(Date.parse(purgeAt) - 500));
      await new Promise((resolve) => setTimeout(resolve, 200));
      base.clock.set(purgeAt);
      const run = await runOf(orgId);
      expect(lateMs(run.started_at, purgeAt)).toBeLessThanOrEqual(SECOND);
      await runOf(orgId, 'completed');
    } finally {
      await after.close();
    }
  }, 180_000);

  it('with two instances on one database, one of them starts the purge ≤ 1 s after its deadline, once', async () => {
    const { orgId, purgeAt } = await deletedOrg();
    const [a, b] = [await instance(), await instance()];
    try {
      base.clock.set(purgeAt);
      const run = await runOf(orgId, 'completed');
      expect(lateMs(run.started_at, purgeAt)).toBeLessThanOrEqual(SECOND);
      expect(Number(run.resumes)).toBe(0);
      expect((await base.lifecycle.deps.repo.runsOf(orgId)).filter((r) => r.scope === 'org')).toHaveLength(1);
      // The receipt is written just after the run is marked completed.
      for (let i = 0; i < 100 && (await base.lifecycle.deps.repo.receiptsOf(orgId)).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await base.lifecycle.deps.repo.receiptsOf(orgId)).length).toBe(1);
      const started = (await base.kernel.audit.list({ action: 'lifecycle.purge.started' })).filter((e) => e.target?.id === orgId);
      expect(started).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 180_000);

  it('a service sunset (W4.8) starts at its instant', async () => {
    const a = await instance();
    try {
      const at = new Date(base.clock.now().getTime() + DAY);
      const sunset = await a.sunsets.schedule({ service: 'projects-classic', at, actor: { type: 'system' } });
      base.clock.set(at);
      let view = await a.sunsets.get(sunset.id);
      for (let i = 0; i < 200 && !view.startedAt; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        view = await a.sunsets.get(sunset.id);
      }
      expect(view.startedAt).toBe(at.toISOString());
    } finally {
      await a.close();
    }
  }, 180_000);
});
