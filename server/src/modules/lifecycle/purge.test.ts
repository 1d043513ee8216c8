import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, SECOND } from '../../kernel/clock';
import { PASSWORD, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { rowsOfOrg, seedOrg, total } from './lifecycle.test-helpers';

/**
 * The purge end to end on real stores (W4.1, W4.10, W4.13): batched, resumable after a crash with
 * exact counts, other orgs untouched row by row, kept items still there.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ config: { backupRetentionDays: 30 } });
});
afterAll(async () => {
  await t.close();
});

describe('org purge (W4.1, W4.10, W4.13)', () => {
  it('resumes after a crash mid-purge: completes, exact counts, nothing twice, other orgs untouched, kept items kept', async () => {
    const victim = await seedOrg(t, 'Victim');
    const bystander = await seedOrg(t, 'Bystander');
    expect((await victim.client.post(`/api/v1/orgs/${victim.orgId}/lifecycle/delete`, { password: PASSWORD })).status).toBe(200);
    const before = await rowsOfOrg(t, victim.orgId);
    const bystanderBefore = await rowsOfOrg(t, bystander.orgId);
    // What W4.10 keeps: the org row, the project space row (its id), the contract record.
    const kept = ['lifecycle@us-west/lifecycle_contracts', 'lifecycle@us-west/lifecycle_history'];
    const spaceKey = Object.keys(before).find((k) => k.endsWith('/spaces'))!;
    const expectedDeleted = total(before) - kept.reduce((n, k) => n + (before[k]?.length ?? 0), 0) - before[spaceKey]!.length;
    expect(expectedDeleted).toBeGreaterThan(20);

    t.clock.advance(180 * DAY);
    t.lifecycle.deps.batchSize = 4;
    let crashes = 0;
    t.lifecycle.deps.afterBatch = ({ batches }) => {
      if (batches === 3 && crashes === 0) {
        crashes += 1;
        throw new Error('simulated crash');
      }
    };
    await expect(t.lifecycle.engine.runDue()).rejects.toThrow('simulated crash');
    const midway = await t.lifecycle.service.view(victim.orgId);
    expect(midway.purges[0]).toMatchObject({ status: 'running', batches: 3 });
    expect(midway.restorable).toBe(false);
    t.lifecycle.deps.afterBatch = undefined;
    await t.lifecycle.engine.runDue();
    t.lifecycle.deps.batchSize = 500;

    const after = await rowsOfOrg(t, victim.orgId);
    // Plus the engine's own records of the purge and its receipt.
    expect(Object.keys(after).sort()).toEqual([...kept, spaceKey, 'lifecycle@us-west/lifecycle_purge_runs', 'lifecycle@us-west/lifecycle_receipts'].sort());
    expect(await t.lifecycle.deps.identity.org(victim.orgId)).toMatchObject({ id: victim.orgId, planState: 'purged' });
    expect(after[spaceKey]).toHaveLength(1);
    const contract = (after['lifecycle@us-west/lifecycle_contracts'] as { contract_admin_email: string; contract_admin_name: string }[])[0]!;
    expect(contract).toMatchObject({ contract_admin_email: victim.email, contract_admin_name: 'Ada Admin' });
    expect(await rowsOfOrg(t, bystander.orgId)).toEqual(bystanderBefore);

    const view = await t.lifecycle.service.view(victim.orgId);
    expect(view.receipts).toHaveLength(1);
    const doc = JSON.parse((await t.lifecycle.deps.repo.receipt(victim.orgId, view.receipts[0]!.id))!.document);
    expect(doc.receipt.totalRows).toBe(expectedDeleted);
    const byKind = Object.fromEntries(doc.receipt.deleted.map((d: { module: string; kind: string; rows: number }) => [`${d.module}/${d.kind}`, d.rows]));
    expect(byKind['projects/issues']).toBe(3);
    expect(byKind['projects/comments']).toBe(3);
    expect(byKind['identity/memberships']).toBe(2);
    // The steps are audited on the platform chain (the org's own chain is purged, W4.6).
    const steps = (await t.kernel.audit.list({ orgId: null, limit: 200 })).filter((a) => a.target?.id === victim.orgId).map((a) => a.action);
    expect(steps).toEqual(expect.arrayContaining(['lifecycle.purge.started', 'lifecycle.purge.resumed', 'lifecycle.purge.module_done', 'lifecycle.purge.completed']));
    // Running again does nothing more.
    expect((await t.lifecycle.engine.runDue()).purged).toBe(0);
    // The member's personal account stays (accounts are personal); only the membership went.
    const me = await addMemberSignIn(bystander);
    expect(me).toBe(200);
  }, 180_000);

  it('a receipt verifies; any change to it fails with a clear reason', async () => {
    const org = await seedOrg(t, 'Receipted');
    await org.client.post(`/api/v1/orgs/${org.orgId}/lifecycle/delete`, { password: PASSWORD });
    t.clock.advance(180 * DAY + SECOND);
    await t.lifecycle.engine.runDue();
    const view = await t.lifecycle.service.view(org.orgId);
    const file = JSON.parse((await t.lifecycle.deps.repo.receipt(org.orgId, view.receipts[0]!.id))!.document);
    const pem = t.lifecycle.signer.publicKeyPem();
    expect(await t.lifecycle.verifyReceipt(file, pem)).toMatchObject({ ok: true });
    const tampered = { ...file, receipt: { ...file.receipt, totalRows: file.receipt.totalRows - 1 } };
    expect(await t.lifecycle.verifyReceipt(tampered, pem)).toMatchObject({ ok: false, reason: expect.stringContaining('altered') });
    const badSig = { ...file, jws: `${file.jws.slice(0, -4)}AAAA` };
    expect(await t.lifecycle.verifyReceipt(badSig, pem)).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });
  }, 180_000);
});

async function addMemberSignIn(user: TestUser): Promise<number> {
  return (await user.client.post('/api/v1/sessions', { email: user.email, password: PASSWORD })).status;
}
