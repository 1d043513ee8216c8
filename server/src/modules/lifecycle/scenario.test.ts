import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, SECOND } from '../../kernel/clock';
import { PASSWORD, signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { rowsOfOrg, seedOrg } from './lifecycle.test-helpers';

/**
 * Two simulated years on the injectable clock (issue 5 §6): for each W4 rule, at T − 1 s nothing
 * happens, at T the step starts, by T + 10 d it is complete. Steps are a table so more rows (log
 * files, sunsets) can be added.
 */
let t: TestApp;
const START = '2027-01-01T00:00:00.000Z';
beforeAll(async () => {
  t = await buildTestApp({ config: { backupRetentionDays: 30 } });
  t.clock.set(START);
});
afterAll(async () => {
  await t.close();
});

const at = (days: number, from = START) => new Date(Date.parse(from) + days * DAY);
const count = async (orgId: string, suffix: string) => Object.entries(await rowsOfOrg(t, orgId)).filter(([k]) => k.endsWith(suffix)).reduce((n, [, v]) => n + v.length, 0);

describe('two-year lifecycle scenario (W4.1, W4.2, W4.3, W4.6, W4.9)', () => {
  it('acts exactly at each deadline and never a second before', async () => {
    const orgs: Record<string, TestUser> = {};
    for (const name of ['Deleted', 'Trial', 'Suspended', 'Pass', 'Classic', 'Paid']) orgs[name] = await seedOrg(t, name);
    const set = (org: TestUser, service: 'workspace' | 'pass' | 'projects-classic', state: 'trial' | 'paid' | 'suspended' | 'cancelled', dates: Record<string, Date> = {}) =>
      t.lifecycle.service.setState(org.orgId, service, state, dates, { type: 'system', name: 'scenario' }, null, 'scenario');
    const T0 = t.clock.now();
    expect((await orgs.Deleted!.client.post(`/api/v1/orgs/${orgs.Deleted!.orgId}/lifecycle/delete`, { password: PASSWORD })).status).toBe(200);
    await set(orgs.Trial!, 'workspace', 'trial', { trialEndsAt: at(14, T0.toISOString()) });
    await set(orgs.Suspended!, 'workspace', 'suspended', { contractEndedAt: at(20, T0.toISOString()) });
    await set(orgs.Pass!, 'pass', 'trial', { trialEndsAt: at(10, T0.toISOString()) });
    await set(orgs.Classic!, 'projects-classic', 'cancelled', { periodEndsAt: at(5, T0.toISOString()) });
    await set(orgs.Paid!, 'workspace', 'paid', { periodEndsAt: at(365, T0.toISOString()) });
    const t0 = T0.toISOString();

    const steps: { name: string; at: Date; check(): Promise<boolean> }[] = [
      { name: 'W4.6 pass trial end + 30 d: audit purged', at: at(40, t0), check: async () => (await count(orgs.Pass!.orgId, '/audit_events')) === 0 },
      { name: 'W4.2 trial end + 30 d: org deleted', at: at(44, t0), check: async () => (await t.lifecycle.deps.identity.org(orgs.Trial!.orgId))?.planState === 'deleted' },
      { name: 'W4.3 contract end + 90 d: org deleted', at: at(110, t0), check: async () => (await t.lifecycle.deps.identity.org(orgs.Suspended!.orgId))?.planState === 'deleted' },
      { name: 'W4.1 deletion + 180 d: org purged', at: at(180, t0), check: async () => (await count(orgs.Deleted!.orgId, '/issues')) === 0 },
      { name: 'W4.9 paid period end + 180 d: classic space purged', at: at(185, t0), check: async () => (await count(orgs.Classic!.orgId, '/issues')) === 0 },
      { name: 'W4.2 then W4.1: trial org purged', at: at(224, t0), check: async () => (await count(orgs.Trial!.orgId, '/issues')) === 0 },
      { name: 'W4.3 then W4.1: suspended org purged', at: at(290, t0), check: async () => (await count(orgs.Suspended!.orgId, '/issues')) === 0 },
    ];
    for (const step of steps.sort((a, b) => a.at.getTime() - b.at.getTime())) {
      t.clock.set(new Date(step.at.getTime() - SECOND));
      await t.lifecycle.engine.runDue();
      expect(await step.check(), `${step.name}: nothing at T - 1 s`).toBe(false);
      t.clock.set(step.at);
      await t.lifecycle.engine.runDue();
      expect(await step.check(), `${step.name}: done at T`).toBe(true);
    }
    // Exact stored times: the auto-deletion is dated at its deadline, the purge started at T.
    const trial = await t.lifecycle.service.view(orgs.Trial!.orgId);
    expect(trial.deletedAt).toBe(at(44, t0).toISOString());
    expect(trial.purges[0]).toMatchObject({ startedAt: at(224, t0).toISOString(), completesBy: at(234, t0).toISOString(), status: 'completed' });
    // The classic purge left identity alone; the paid org and the pass org keep their content two years on.
    expect(await count(orgs.Classic!.orgId, '/memberships')).toBe(2);
    t.clock.set(at(730, t0));
    await t.lifecycle.engine.runDue();
    expect(await count(orgs.Paid!.orgId, '/issues')).toBe(3);
    expect(await count(orgs.Pass!.orgId, '/issues')).toBe(3);
    expect(await count(orgs.Paid!.orgId, '/audit_events')).toBeGreaterThan(0);
    const fresh = await signUpUser(t);
    expect((await t.lifecycle.service.view(fresh.orgId)).timeline).toEqual([]);
  }, 180_000);
});
