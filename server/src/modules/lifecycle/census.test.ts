import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, SECOND } from '../../kernel/clock';
import { PASSWORD } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { actuallyDeleted, rowsOfOrg, seedOrg } from './lifecycle.test-helpers';

/**
 * The purge census asks each module's `count` hook (kernel/module.ts, issue 11 §1): a module counts
 * the stores it opens lazily too, so the census holds them before the first batch deletes anything
 * and a crash between a batch's delete and its record cannot lose rows from the receipt (W4.1, issue 5 §5).
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ config: { backupRetentionDays: 30 } });
}, 180_000);
afterAll(async () => {
  await t.close();
});

describe('purge census of a lazily opened store (W4.1, issue 11 §1)', () => {
  it('an org whose projects store is first opened after its deletion is counted before the first purge batch; the receipt stays exact across a crash in that batch', async () => {
    const org = await seedOrg(t, 'Lazy Store');
    expect((await org.client.post(`/api/v1/orgs/${org.orgId}/lifecycle/delete`, { password: PASSWORD })).status).toBe(200);
    const before = await rowsOfOrg(t, org.orgId);
    // A restarted instance on the same databases: no request has opened its projects stores yet.
    const restarted = await buildTestApp({ sharedWith: t });
    try {
      expect(restarted.kernel.stores.list().map((s) => s.module)).not.toContain('projects');
      t.clock.advance(180 * DAY + SECOND);
      restarted.lifecycle.deps.batchSize = 4;
      let censusAtCrash: Record<string, number> | null = null;
      // Dies right after the projects module's first batch deleted rows, before their counts are written.
      restarted.lifecycle.deps.afterDelete = async ({ orgId, module }) => {
        if (orgId !== org.orgId || module !== 'projects' || censusAtCrash) return;
        censusAtCrash = JSON.parse((await restarted.lifecycle.deps.repo.run(orgId, 'org'))!.census!);
        throw new Error('simulated crash (projects)');
      };
      await expect(restarted.lifecycle.engine.runDue()).rejects.toThrow('simulated crash (projects)');
      restarted.lifecycle.deps.afterDelete = undefined;
      await restarted.lifecycle.engine.runDue();
      restarted.lifecycle.deps.batchSize = 500;

      const issuesKey = Object.keys(before).find((k) => k.startsWith('projects@') && k.endsWith('/issues'))!.replace('@', '/');
      // Counted in the census stored before any batch: 3 issues, as the seed made them.
      expect(censusAtCrash![issuesKey]).toBe(3);
      const view = await restarted.lifecycle.service.view(org.orgId);
      expect(view.purges[0]).toMatchObject({ status: 'completed' });
      const file = JSON.parse((await restarted.lifecycle.deps.repo.receipt(org.orgId, view.receipts[0]!.id))!.document);
      const byKind = Object.fromEntries((file.receipt.deleted as { module: string; region: string; kind: string; rows: number }[]).map((d) => [`${d.module}/${d.region}/${d.kind}`, d.rows]));
      const expected = actuallyDeleted(before, await rowsOfOrg(t, org.orgId));
      expect(expected[issuesKey]).toBe(3);
      expect(byKind).toEqual(expected);
    } finally {
      await restarted.close();
    }
  }, 240_000);
});
