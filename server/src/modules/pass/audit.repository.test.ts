import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { verifyChainLines } from './audit-chain';

/**
 * An org's audit chain after its purge (W4.1, W4.6): the head row goes with the entries, yet this
 * process still knows the chain; later events for the org must start a new, verifiable segment.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
}, 180_000);
afterAll(async () => {
  await t.close();
});

type AnyDb = Kysely<any>; // the audit store, read raw
const auditDb = () => t.kernel.stores.list().find((s) => s.module === 'audit')!.db as AnyDb;

async function purgeAuditOf(orgId: string): Promise<number> {
  let rows = 0;
  for (;;) {
    const batch = await t.lifecycle.deps.modules().find((m) => m.purgeAudit)!.purgeAudit!(orgId, { batchSize: 7 });
    rows += batch.deleted.reduce((n, d) => n + d.rows, 0);
    if (batch.done) return rows;
  }
}

async function exportLines(user: TestUser): Promise<string[]> {
  const response = await user.client.get<string>(`/api/v1/orgs/${user.orgId}/audit-events/export?format=jsonl`);
  expect(response.status).toBe(200);
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  return text.split('\n').filter((line) => line !== '');
}

const record = (orgId: string, i: number) => t.kernel.audit.record({ orgId, action: 'team.updated', outcome: 'success', actor: { type: 'system' }, details: { i } });

describe('audit chain after an org purge (W4.6)', () => {
  it('later events for the org start a new segment at the genesis; the export verifies', async () => {
    const admin = await signUpUser(t);
    for (let i = 0; i < 5; i += 1) await record(admin.orgId, i);
    expect(await purgeAuditOf(admin.orgId)).toBeGreaterThan(5);
    const chains = await auditDb().selectFrom('audit_chains').selectAll().where('chain_key', '=', admin.orgId).execute();
    expect(chains).toHaveLength(0);

    // Through the HTTP layer (team creation is audited) and the sink directly.
    expect((await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'After purge' })).status).toBe(201);
    await Promise.all([1, 2, 3].map((i) => record(admin.orgId, 100 + i)));
    const lines = await exportLines(admin);
    expect(verifyChainLines(lines)).toMatchObject({ ok: true, firstSeq: 1, anchored: true });
    const entries = lines.slice(1).map((line) => JSON.parse(line) as { seq: number; action: string });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['team.created', 'team.updated', 'audit.exported']));
    // Other orgs' chains are untouched by all this.
    const other = await signUpUser(t);
    expect(verifyChainLines(await exportLines(other))).toMatchObject({ ok: true, firstSeq: 1 });
  }, 120_000);

  it('entries written while the head row was being purged stay in the chain; the export verifies', async () => {
    const admin = await signUpUser(t);
    await purgeAuditOf(admin.orgId);
    await record(admin.orgId, 1);
    await record(admin.orgId, 2);
    // The purge's last batch took the head row after these two entries were appended.
    await sql`delete from audit_chains where chain_key = ${admin.orgId}`.execute(auditDb());
    await record(admin.orgId, 3);
    const lines = await exportLines(admin);
    expect(verifyChainLines(lines)).toMatchObject({ ok: true, firstSeq: 1 });
    const seqs = lines.slice(1).map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
  }, 120_000);
});
