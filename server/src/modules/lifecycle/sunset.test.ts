import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, SECOND } from '../../kernel/clock';
import type { ModuleDefinition, PurgeBatchResult } from '../../kernel/module';
import { currentTotp } from '../../kernel/totp';
import { TestClient } from '../../test/client';
import { signUpUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { sunsetStoreSpec, type SunsetDb } from './sunset.db';
import { SERVICES } from './lifecycle.db';
import { createSunsetService, SUNSET_SERVICES } from './sunset.service';
import { sunsetsJob } from './sunset';
import { LIFECYCLE_LEASE_SECONDS } from './lease';
import { JobRunner } from '../../kernel/jobs';
import { pino } from 'pino';

let t: TestApp;
let totpSecret = '';
const OPERATOR = { email: 'sunset-ops@toride.test', name: 'Sol Ops', password: 'operator password 1' };

beforeAll(async () => {
  t = await buildTestApp({ config: { backupRetentionDays: 30 } });
  totpSecret = (await t.operator.createOperator(OPERATOR)).totpSecret;
});
afterAll(async () => {
  await t.close();
});

async function signInOperator(): Promise<TestClient> {
  t.clock.advance(30 * SECOND);
  const client = new TestClient(t.app);
  const response = await client.post('/api/v1/operator/sessions', { email: OPERATOR.email, password: OPERATOR.password, code: currentTotp(totpSecret, t.clock.now()) });
  expect(response.status).toBe(200);
  client.setCookie('toride_csrf', response.body.csrfToken);
  return client;
}

/** Each batch of `module` takes most of a job lease (on the test clock), then runs `between`. */
function slowed(module: ModuleDefinition, between: () => Promise<void>): ModuleDefinition {
  return {
    ...module,
    // Small batches (the service asks for 1000) so the sunset spans several leases.
    async purgeOrganization(orgId) {
      const result = await module.purgeOrganization!(orgId, { batchSize: 10 });
      t.clock.advance(LIFECYCLE_LEASE_SECONDS * SECOND - 60 * SECOND);
      await between();
      return result;
    },
  };
}

/** A real store-backed module: rows per org in its own table, purged in batches like the contract says. */
async function itemsModule(name: string, region: string) {
  const store = await t.kernel.stores.open<{ items: { id: string; org_id: string } }>({
    module: `sunset_${name}_fixture`,
    region,
    migrations: {
      '0001-items': {
        up: async (db: Kysely<unknown>) => {
          await db.schema.createTable('items').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('org_id', 'text', (c) => c.notNull()).execute();
        },
      },
    },
  });
  const db = store.db;
  const calls: string[] = [];
  let failOnce: string | null = null;
  const definition: ModuleDefinition = {
    name,
    async purgeOrganization(orgId, { batchSize }): Promise<PurgeBatchResult> {
      calls.push(orgId);
      if (failOnce === orgId) {
        failOnce = null;
        throw new Error('simulated crash mid-purge');
      }
      const ids = (await db.selectFrom('items').select('id').where('org_id', '=', orgId).limit(batchSize).execute()).map((r) => r.id);
      if (ids.length > 0) await db.deleteFrom('items').where('id', 'in', ids).execute();
      const left = await db.selectFrom('items').select('id').where('org_id', '=', orgId).limit(1).execute();
      return { done: left.length === 0, deleted: ids.length ? [{ module: name, region, kind: 'items', rows: ids.length }] : [] };
    },
  };
  return {
    definition,
    calls,
    failNextOn: (orgId: string) => {
      failOnce = orgId;
    },
    seed: async (orgId: string, count: number) => {
      const rows = Array.from({ length: count }, (_, i) => ({ id: `${orgId}-${name}-${i}`, org_id: orgId }));
      for (let i = 0; i < rows.length; i += 500) await db.insertInto('items').values(rows.slice(i, i + 500)).execute();
    },
    count: async (orgId: string) => (await db.selectFrom('items').select('id').where('org_id', '=', orgId).execute()).length,
  };
}

describe('service sunset (W4.8)', () => {
  it('operators schedule, list and cancel sunsets; input is validated; accounts and anonymous callers cannot', async () => {
    const ops = await signInOperator();
    const user = await signUpUser(t, { orgName: 'Sunset Watchers' });
    expect((await new TestClient(t.app).post('/api/v1/operator/lifecycle/sunsets', { service: 'projects-classic', at: '2030-01-01' })).status).toBe(401);
    expect((await user.client.post('/api/v1/operator/lifecycle/sunsets', { service: 'projects-classic', at: '2030-01-01' })).status).toBe(401);
    expect((await new TestClient(t.app).get('/api/v1/lifecycle/sunsets')).status).toBe(401);

    const bad = await ops.post('/api/v1/operator/lifecycle/sunsets', { service: 'chat', at: '2030-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('lifecycle.unknown_service');
    // The names of before the one list (`projects`, `all`) are unknown too.
    for (const service of ['projects', 'all', '']) {
      const old = await ops.post('/api/v1/operator/lifecycle/sunsets', { service, at: '2030-01-01' });
      expect(old.status).toBe(400);
      expect(old.body.error.code).toBe(service ? 'lifecycle.unknown_service' : 'request.invalid');
    }
    expect((await ops.post('/api/v1/operator/lifecycle/sunsets', { service: 'projects-classic', at: '2030-02-30' })).status).toBe(400);
    expect((await ops.post('/api/v1/operator/lifecycle/sunsets', { service: 'projects-classic', at: '2030-01-01T09:00:00' })).status).toBe(400);
    const past = await ops.post('/api/v1/operator/lifecycle/sunsets', { service: 'projects-classic', at: '2020-01-01' });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('lifecycle.sunset_not_in_future');

    const created = await ops.post('/api/v1/operator/lifecycle/sunsets', { service: 'projects-classic', at: '2030-01-01' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ service: 'projects-classic', at: '2030-01-01T00:00:00.000Z', status: 'scheduled', purgeCompletesBy: '2030-01-11T00:00:00.000Z', backupsExpireAt: '2030-02-10T00:00:00.000Z' });
    const twice = await ops.post('/api/v1/operator/lifecycle/sunsets', { service: 'projects-classic', at: '2031-01-01' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('lifecycle.sunset_exists');

    // Every signed-in account sees it (its org's timeline shows it), without who scheduled it.
    const seen = await user.client.get('/api/v1/lifecycle/sunsets');
    expect(seen.status).toBe(200);
    expect(seen.body.backupRetentionDays).toBe(30);
    expect(seen.body.items).toEqual([expect.objectContaining({ id: created.body.id, service: 'projects-classic', at: '2030-01-01T00:00:00.000Z' })]);
    expect(JSON.stringify(seen.body)).not.toContain('operator:');

    expect((await ops.delete('/api/v1/operator/lifecycle/sunsets/nope')).status).toBe(404);
    const cancelled = await ops.delete(`/api/v1/operator/lifecycle/sunsets/${created.body.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await ops.delete(`/api/v1/operator/lifecycle/sunsets/${created.body.id}`)).status).toBe(409);
    expect((await user.client.get('/api/v1/lifecycle/sunsets')).body.items).toEqual([]);
    expect((await ops.get('/api/v1/operator/lifecycle/sunsets')).body.items.map((s: { status: string }) => s.status)).toEqual(['cancelled']);

    const audit = await t.kernel.audit.list({ orgId: null, limit: 20 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['lifecycle.sunset.scheduled', 'lifecycle.sunset.cancelled']));
    expect(audit.find((a) => a.action === 'lifecycle.sunset.scheduled')?.actor.type).toBe('operator');
  });

  it('one list of service names: a sunset can be scheduled for each contract service (SERVICES)', async () => {
    const ops = await signInOperator();
    for (const service of SERVICES) {
      const created = await ops.post('/api/v1/operator/lifecycle/sunsets', { service, at: '2040-01-01' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ service, status: 'scheduled' });
      expect((await ops.delete(`/api/v1/operator/lifecycle/sunsets/${created.body.id}`)).status).toBe(200);
    }
    expect(SUNSET_SERVICES).toEqual(SERVICES);
  });

  it('at the date, not a second before, purges the service in every org (other services untouched), resumes after a crash, and records backup expiry', async () => {
    const projects = await itemsModule('projects', 'us-west');
    const pass = await itemsModule('pass', 'ap-northeast');
    const orgs = ['org-a', 'org-b', 'org-c'];
    for (const org of orgs) {
      await projects.seed(org, 1500);
      await pass.seed(org, 3);
    }
    const sunsets = createSunsetService({
      kernel: t.kernel,
      openDb: async () => (await t.kernel.stores.open<SunsetDb>(sunsetStoreSpec(t.config))).db,
      modules: () => [projects.definition, pass.definition],
      listOrgIds: async () => orgs,
    });
    const at = new Date(t.clock.now().getTime() + 90 * DAY);
    const scheduled = await sunsets.schedule({ service: 'projects-classic', at, actor: { type: 'system', name: 'test' } });

    t.clock.set(new Date(at.getTime() - SECOND));
    expect(await sunsets.runDue()).toBe(0);
    expect(await projects.count('org-a')).toBe(1500);
    expect((await sunsets.get(scheduled.id)).status).toBe('scheduled');

    t.clock.set(at);
    projects.failNextOn('org-b');
    await expect(sunsets.runDue()).rejects.toThrow('simulated crash');
    expect((await sunsets.get(scheduled.id)).status).toBe('running');
    expect(await projects.count('org-a')).toBe(0);
    expect(await projects.count('org-c')).toBe(1500);

    t.clock.advance(60 * SECOND);
    const callsBefore = projects.calls.length;
    expect(await sunsets.runDue()).toBe(1);
    // org-a was recorded as done: the resumed run does not touch it again.
    expect(projects.calls.slice(callsBefore)).not.toContain('org-a');
    for (const org of orgs) {
      expect(await projects.count(org)).toBe(0);
      expect(await pass.count(org)).toBe(3);
    }
    const done = await sunsets.get(scheduled.id);
    expect(done).toMatchObject({ status: 'completed', orgsPurged: 3, rowsDeleted: 4500, startedAt: at.toISOString(), completedAt: new Date(at.getTime() + 60 * SECOND).toISOString() });
    expect(done.backupsExpireAt).toBe(new Date(at.getTime() + 60 * SECOND + 30 * DAY).toISOString());
    expect(pass.calls).toEqual([]);
    expect(await sunsets.runDue()).toBe(0);

    const orgAudit = await t.kernel.audit.list({ orgId: 'org-a', action: 'lifecycle.sunset.org_purged' });
    expect(orgAudit).toHaveLength(1);
    expect(orgAudit[0]?.details).toMatchObject({ service: 'projects-classic', rows: 1500, deleted: { 'projects@us-west/items': 1500 } });
    const platformAudit = (await t.kernel.audit.list({ orgId: null, action: 'lifecycle.sunset.org_purged' })).filter((e) => e.details?.orgId === 'org-a');
    expect(platformAudit).toHaveLength(1);
    const completed = await t.kernel.audit.list({ orgId: null, action: 'lifecycle.sunset.completed' });
    expect(completed[0]?.details).toMatchObject({ service: 'projects-classic', orgs: 3, rows: 4500, backupRetentionDays: 30 });
  });

  it('a sunset of the workspace (the whole suite) purges every module with data', async () => {
    const projects = await itemsModule('projects', 'us-west');
    const pass = await itemsModule('pass', 'ap-northeast');
    await projects.seed('org-z', 5);
    await pass.seed('org-z', 5);
    await t.kernel.mailer.send({ orgId: 'org-z', kind: 'projects.notification', to: 'zed@example.test', subject: '[Z-1] z', text: 'z' });
    const sunsets = createSunsetService({
      kernel: t.kernel,
      openDb: async () => (await t.kernel.stores.open<SunsetDb>(sunsetStoreSpec(t.config))).db,
      modules: () => [projects.definition, pass.definition, { name: 'operator' }],
      listOrgIds: async () => ['org-z'],
    });
    const all = await sunsets.schedule({ service: 'workspace', at: new Date(t.clock.now().getTime() + DAY), actor: { type: 'system', name: 'test' } });
    t.clock.advance(DAY);
    expect(await sunsets.runDue()).toBe(1);
    expect(await projects.count('org-z')).toBe(0);
    expect(await pass.count('org-z')).toBe(0);
    // The org's mail goes with the suite (issue 16 §3).
    expect(await t.kernel.platform.db.selectFrom('mail_outbox').select('id').where('org_id', '=', 'org-z').execute()).toEqual([]);
    expect((await sunsets.get(all.id)).rowsDeleted).toBe(11);
  });

  it('a long sunset renews its short job lease per batch and is never taken over while alive', async () => {
    const projects = await itemsModule('projects', 'us-west');
    await projects.seed('org-lease', 40);
    const sunsets = createSunsetService({
      kernel: t.kernel,
      openDb: async () => (await t.kernel.stores.open<SunsetDb>(sunsetStoreSpec(t.config))).db,
      modules: () => [slowed(projects.definition, async () => void takeovers.push(await other.tick()))],
      listOrgIds: async () => ['org-lease'],
    });
    const takeovers: number[] = [];
    const job = sunsetsJob(sunsets, t.clock);
    expect(job.leaseSeconds).toBeLessThanOrEqual(600);
    const runner = () => new JobRunner(t.kernel.platform.db, t.clock, pino({ level: 'silent' }), [job]);
    const other = runner();
    const scheduled = await sunsets.schedule({ service: 'projects-classic', at: new Date(t.clock.now().getTime() + DAY), actor: { type: 'system', name: 'test' } });
    t.clock.advance(DAY + 60 * SECOND);
    expect(await runner().tick()).toBe(1);
    expect(takeovers.length).toBeGreaterThan(3);
    expect(takeovers.every((n) => n === 0)).toBe(true);
    expect(await sunsets.get(scheduled.id)).toMatchObject({ status: 'completed', rowsDeleted: 40 });
  });

  it('the app runs due sunsets from its job on the simulated clock', async () => {
    const ops = await signInOperator();
    const at = new Date(t.clock.now().getTime() + 2 * DAY);
    const created = await ops.post('/api/v1/operator/lifecycle/sunsets', { service: 'pass', at: at.toISOString() });
    expect(created.status).toBe(201);
    t.clock.set(at);
    await t.jobs.tick();
    const after = await (await signInOperator()).get('/api/v1/operator/lifecycle/sunsets');
    const row = after.body.items.find((s: { id: string }) => s.id === created.body.id);
    expect(row).toMatchObject({ status: 'completed', startedAt: at.toISOString() });
    expect(row.orgsPurged).toBeGreaterThan(0);
  });
});
