import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, MINUTE, SECOND } from '../../kernel/clock';
import { JobRunner } from '../../kernel/jobs';
import { PASSWORD } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { LIFECYCLE_LEASE_SECONDS } from './index';
import { rowsOfOrg, seedOrg } from './lifecycle.test-helpers';

/**
 * A purge across real crashes (W4.1, W4.13, issue 5 §2): another instance resumes a dead run after
 * the short job lease, never a live one; receipt counts stay exact when the process dies between a
 * batch's delete and the write of its counts.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ config: { backupRetentionDays: 30 } });
}, 180_000);
afterAll(async () => {
  await t.close();
});

/** A second instance on the same platform store, running only the lifecycle job. */
const otherInstance = () => new JobRunner(t.kernel.platform.db, t.clock, pino({ level: 'silent' }), [t.lifecycle.scheduleJob]);

async function deletedOrg(name: string) {
  const org = await seedOrg(t, name);
  expect((await org.client.post(`/api/v1/orgs/${org.orgId}/lifecycle/delete`, { password: PASSWORD })).status).toBe(200);
  return org;
}

/** What the rows themselves say was deleted, per `module/region/table`. */
function actuallyDeleted(before: Record<string, unknown[]>, after: Record<string, unknown[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, rows] of Object.entries(before)) {
    const gone = rows.length - (after[key]?.length ?? 0);
    if (gone > 0) out[key.replace('@', '/')] = gone;
  }
  return out;
}

async function receiptOf(orgId: string) {
  const view = await t.lifecycle.service.view(orgId);
  expect(view.receipts).toHaveLength(1);
  const file = JSON.parse((await t.lifecycle.deps.repo.receipt(orgId, view.receipts[0]!.id))!.document);
  expect(await t.lifecycle.verifyReceipt(file, t.lifecycle.signer.publicKeyPem())).toMatchObject({ ok: true });
  return file.receipt as { totalRows: number; deleted: { module: string; region: string; kind: string; rows: number }[] };
}

const byKind = (deleted: { module: string; region: string; kind: string; rows: number }[]) => Object.fromEntries(deleted.map((d) => [`${d.module}/${d.region}/${d.kind}`, d.rows]));

describe('job lease of the lifecycle job (issue 5 §2)', () => {
  it('is short: a crashed run (lease never released) is resumed by another instance right after the lease', async () => {
    expect(LIFECYCLE_LEASE_SECONDS).toBeLessThanOrEqual(10 * 60);
    const org = await deletedOrg('Crashed Lease');
    const before = await rowsOfOrg(t, org.orgId);
    t.clock.advance(180 * DAY + SECOND);
    t.lifecycle.deps.batchSize = 4;
    // Instance A dies after its third batch: it never renews nor releases its lease again.
    let frozen = false;
    let reachedFreeze!: () => void;
    const died = new Promise<void>((resolve) => (reachedFreeze = resolve));
    t.lifecycle.deps.afterBatch = async ({ orgId, batches }) => {
      if (orgId !== org.orgId || batches !== 3 || frozen) return;
      frozen = true;
      reachedFreeze();
      await new Promise(() => {});
    };
    const a = otherInstance();
    void a.tick();
    await died;
    const b = otherInstance();
    try {
      t.clock.advance(LIFECYCLE_LEASE_SECONDS * SECOND - MINUTE);
      expect(await b.tick()).toBe(0);
      expect((await t.lifecycle.service.view(org.orgId)).purges[0]).toMatchObject({ status: 'running', batches: 3 });
      t.clock.advance(2 * MINUTE);
      expect(await b.tick()).toBe(1);
    } finally {
      t.lifecycle.deps.afterBatch = undefined;
      t.lifecycle.deps.batchSize = 500;
    }
    expect((await t.lifecycle.service.view(org.orgId)).purges[0]).toMatchObject({ status: 'completed' });
    const receipt = await receiptOf(org.orgId);
    expect(byKind(receipt.deleted)).toEqual(actuallyDeleted(before, await rowsOfOrg(t, org.orgId)));
  }, 240_000);

  it('a live run renews its lease batch by batch and is never taken over, however long it takes', async () => {
    const org = await deletedOrg('Live Lease');
    t.clock.advance(180 * DAY + SECOND);
    t.lifecycle.deps.batchSize = 4;
    const b = otherInstance();
    const takeovers: number[] = [];
    let batchesSeen = 0;
    // Each batch takes most of a lease; meanwhile instance B keeps trying to take the job.
    t.lifecycle.deps.afterBatch = async ({ orgId }) => {
      if (orgId !== org.orgId) return;
      batchesSeen += 1;
      t.clock.advance(LIFECYCLE_LEASE_SECONDS * SECOND - MINUTE);
      takeovers.push(await b.tick());
    };
    try {
      expect(await otherInstance().tick()).toBe(1);
    } finally {
      t.lifecycle.deps.afterBatch = undefined;
      t.lifecycle.deps.batchSize = 500;
    }
    expect(batchesSeen).toBeGreaterThan(5);
    expect(takeovers.every((n) => n === 0)).toBe(true);
    const view = await t.lifecycle.service.view(org.orgId);
    expect(view.purges[0]).toMatchObject({ status: 'completed' });
    // The run took far longer than one lease, in one piece: never resumed.
    const resumed = (await t.kernel.audit.list({ orgId: null, action: 'lifecycle.purge.resumed', limit: 500 })).filter((a) => a.target?.id === org.orgId);
    expect(resumed).toHaveLength(0);
  }, 240_000);
});

describe('receipt counts across a crash between a batch delete and its record (issue 5 §5)', () => {
  it('counts every deleted row once, per store and kind, after crashes in two modules', async () => {
    const org = await deletedOrg('Lost Batch');
    const before = await rowsOfOrg(t, org.orgId);
    t.clock.advance(180 * DAY + SECOND);
    t.lifecycle.deps.batchSize = 4;
    // Dies twice right after a batch deleted rows, before its counts are written: in the first
    // module's second batch and in the projects module's first batch.
    const crashes: string[] = [];
    t.lifecycle.deps.afterDelete = ({ orgId, module, batches }) => {
      if (orgId !== org.orgId) return;
      const point = module === 'projects' ? 'projects' : batches === 2 ? 'second' : null;
      if (point && !crashes.includes(point)) {
        crashes.push(point);
        throw new Error(`simulated crash (${point})`);
      }
    };
    try {
      await expect(t.lifecycle.engine.runDue()).rejects.toThrow('simulated crash (second)');
      await expect(t.lifecycle.engine.runDue()).rejects.toThrow('simulated crash (projects)');
      await t.lifecycle.engine.runDue();
    } finally {
      t.lifecycle.deps.afterDelete = undefined;
      t.lifecycle.deps.batchSize = 500;
    }
    expect(crashes).toEqual(['second', 'projects']);
    const expected = actuallyDeleted(before, await rowsOfOrg(t, org.orgId));
    expect(expected['projects/ap-northeast/issues'] ?? expected['projects/us-west/issues']).toBe(3);
    const receipt = await receiptOf(org.orgId);
    expect(byKind(receipt.deleted)).toEqual(expected);
    expect(receipt.totalRows).toBe(Object.values(expected).reduce((n, r) => n + r, 0));
  }, 240_000);
});
