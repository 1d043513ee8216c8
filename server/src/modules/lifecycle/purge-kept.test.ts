import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../kernel/clock';
import { currentTotp } from '../../kernel/totp';
import { TestClient } from '../../test/client';
import { PASSWORD } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { seedOrg } from './lifecycle.test-helpers';

/**
 * What is left of an org after its purge (issue 16 §3, §4, §5, §6; W2.1, W4.1, W4.10): no mail of
 * the org in the platform outbox, an org row holding exactly the W4.10 list (checked column by
 * column), no org mail body in the operator console, and the contract admin still reading the
 * receipt through their account. The neighbour org's mail and row are untouched.
 */
let t: TestApp;
const OPERATOR = { email: 'kept-ops@toride.test', name: 'Kei Ops', password: 'operator password 1' };
let totpSecret = '';
beforeAll(async () => {
  t = await buildTestApp();
  totpSecret = (await t.operator.createOperator(OPERATOR)).totpSecret;
});
afterAll(async () => {
  await t.close();
});

const outboxRowsOf = (orgId: string) => t.kernel.platform.db.selectFrom('mail_outbox').selectAll().where('org_id', '=', orgId).execute();
const orgRow = (orgId: string) => t.identity.deps.db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();

describe('what an org purge leaves (issue 16 §3–§6; W4.10)', () => {
  it('no outbox row of the org, the org row keeps exactly W4.10, no org mail in the console, the contract admin reads the receipt', async () => {
    const victim = await seedOrg(t, 'Victim');
    const neighbour = await seedOrg(t, 'Neighbour');
    // Issue notifications go out in the background (projects/social/notification-mail.ts); a mail
    // with org content is also sent directly, as projects does, so the outbox surely holds some.
    await t.kernel.mailer.send({ orgId: victim.orgId, kind: 'projects.notification', to: 'reader@example.test', subject: '[VICTIM-1] Victim issue 0', text: 'comment on 0' });
    await t.kernel.events.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await outboxRowsOf(victim.orgId);
    expect(before.length).toBeGreaterThan(1);
    expect(before.map((r) => r.kind)).toEqual(expect.arrayContaining(['invitation', 'projects.notification']));
    const neighbourMail = await outboxRowsOf(neighbour.orgId);
    expect(neighbourMail.length).toBeGreaterThan(0);
    const victimRowBefore = await orgRow(victim.orgId);
    const neighbourRowBefore = await orgRow(neighbour.orgId);
    expect(victimRowBefore.name).toBe('Victim');

    expect((await victim.client.post(`/api/v1/orgs/${victim.orgId}/lifecycle/delete`, { password: PASSWORD })).status).toBe(200);
    const deletedRow = await orgRow(victim.orgId);
    t.clock.advance(180 * DAY);
    await t.lifecycle.engine.runDue();

    // §3: the org's mail went with it, and the receipt counts it; the neighbour's stays.
    expect(await outboxRowsOf(victim.orgId)).toEqual([]);
    expect(await outboxRowsOf(neighbour.orgId)).toEqual(neighbourMail);
    const view = await t.lifecycle.service.view(victim.orgId);
    expect(view.planState).toBe('purged');
    const receiptRow = await t.lifecycle.deps.repo.receipt(victim.orgId, view.receipts[0]!.id);
    const receipt = JSON.parse(receiptRow!.document).receipt as { deleted: { module: string; kind: string; rows: number }[] };
    expect(receipt.deleted.find((d) => d.module === 'platform' && d.kind === 'mail_outbox')?.rows).toBe(before.length);
    // The receipt mail to the contract admin is not org data (W4.10 contact): it is not tagged.
    expect((await t.kernel.mailer.outbox(5)).find((m) => m.to === victim.email && m.kind === 'lifecycle.receipt')?.orgId).toBeNull();

    // §4: column by column — the kept ones keep their value, every other one is erased.
    const purgedRow = await orgRow(victim.orgId);
    const expected: Record<string, unknown> = {
      id: victim.orgId,
      plan_state: 'purged',
      created_at: victimRowBefore.created_at,
      deleted_at: deletedRow.deleted_at,
      contract_admin_id: victim.accountId,
      name: '',
      locale: '',
      require_two_factor: 0,
    };
    expect(Object.keys(purgedRow).sort()).toEqual(Object.keys(expected).sort());
    const actual: Record<string, unknown> = { ...purgedRow, require_two_factor: Number(purgedRow.require_two_factor) };
    for (const column of Object.keys(expected)) expect(actual[column], column).toEqual(expected[column]);
    expect(deletedRow.deleted_at).not.toBeNull();
    expect(await orgRow(neighbour.orgId)).toEqual(neighbourRowBefore);
    // The contract admin's name and contact are kept with the contract records (W4.10).
    const contract = await t.lifecycle.deps.repo.contract(victim.orgId, 'workspace');
    expect(contract).toMatchObject({ contract_admin_name: 'Ada Admin', contract_admin_email: victim.email });

    // §5: the operator console shows no org mail body (nor subject, nor address).
    t.clock.advance(30_000);
    const ops = new TestClient(t.app);
    const signedIn = await ops.post('/api/v1/operator/sessions', { email: OPERATOR.email, password: OPERATOR.password, code: currentTotp(totpSecret, t.clock.now()) });
    ops.setCookie('toride_csrf', signedIn.body.csrfToken);
    const shown = JSON.stringify((await ops.get('/api/v1/operator/outbox?limit=500')).body);
    for (const secret of ['Neighbour issue', 'comment on', 'NEIGHBOU', 'Victim', '@example.test']) expect(shown).not.toContain(secret);

    // §6: the contract admin fetches the receipt through their account after the purge.
    expect((await victim.client.post('/api/v1/sessions', { email: victim.email, password: PASSWORD })).status).toBe(200);
    const fetched = await victim.client.get(`/api/v1/orgs/${victim.orgId}/lifecycle/receipts/${view.receipts[0]!.id}`);
    expect(fetched.status).toBe(200);
    expect((await t.lifecycle.verifyReceipt(fetched.body, t.lifecycle.signer.publicKeyPem())).ok).toBe(true);
  }, 180_000);
});
