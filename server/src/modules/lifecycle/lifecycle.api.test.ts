import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, SECOND } from '../../kernel/clock';
import { currentTotp } from '../../kernel/totp';
import { TestClient } from '../../test/client';
import { addMember, PASSWORD, signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

let t: TestApp;
let totpSecret = '';
const OPERATOR = { email: 'lifecycle-ops@toride.test', name: 'Lia Ops', password: 'operator password 1' };

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

const lifecycleOf = (user: TestUser, orgId = user.orgId) => user.client.get(`/api/v1/orgs/${orgId}/lifecycle`);

describe('org lifecycle API (issue 5 §1, §5; W4.1, W4.2, W7.7)', () => {
  it('admins see services, timeline and receipts; members 403; strangers and random ids 404; anonymous 401', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member');
    const stranger = await signUpUser(t);
    const ops = await signInOperator();
    const trialEnd = new Date(t.clock.now().getTime() + 14 * DAY).toISOString();
    const set = await ops.post(`/api/v1/operator/orgs/${admin.orgId}/lifecycle`, { service: 'workspace', state: 'trial', trialEndsAt: trialEnd });
    expect(set.status).toBe(200);

    const view = await lifecycleOf(admin);
    expect(view.status).toBe(200);
    expect(view.body.services[0]).toMatchObject({ service: 'workspace', state: 'trial', trialEndsAt: trialEnd, autoDeleteAt: new Date(Date.parse(trialEnd) + 30 * DAY).toISOString() });
    const events = view.body.timeline.map((e: { event: string }) => e.event);
    expect(events).toEqual(['trial_ends', 'org_deleted', 'purge_starts', 'purge_completes_by', 'last_backup_expires']);
    const at = (name: string) => view.body.timeline.find((e: { event: string }) => e.event === name).at;
    expect(at('purge_starts')).toBe(new Date(Date.parse(trialEnd) + 210 * DAY).toISOString());
    expect(at('purge_completes_by')).toBe(new Date(Date.parse(trialEnd) + 220 * DAY).toISOString());
    expect(at('last_backup_expires')).toBe(new Date(Date.parse(trialEnd) + 250 * DAY).toISOString());

    expect((await lifecycleOf(member)).status).toBe(403);
    const foreign = await lifecycleOf(stranger, admin.orgId);
    const random = await lifecycleOf(stranger, '0190aaaa-0000-7000-8000-000000000000');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(random.body);
    expect((await new TestClient(t.app).get(`/api/v1/orgs/${admin.orgId}/lifecycle`)).status).toBe(401);
  }, 180_000);

  it('delete needs re-authentication and the contract admin; restore works in the grace period only, audited', async () => {
    const admin = await signUpUser(t);
    const coAdmin = await addMember(t, admin, 'admin');
    const member = await addMember(t, admin, 'member');
    const url = `/api/v1/orgs/${admin.orgId}/lifecycle`;
    expect((await admin.client.post(`${url}/delete`, {})).status).toBe(400);
    expect((await admin.client.post(`${url}/delete`, { password: 'wrong password here' })).status).toBe(401);
    expect((await member.client.post(`${url}/delete`, { password: PASSWORD })).status).toBe(403);
    expect((await coAdmin.client.post(`${url}/delete`, { password: PASSWORD })).status).toBe(403);
    const stranger = await signUpUser(t);
    expect((await stranger.client.post(`${url}/delete`, { password: PASSWORD })).status).toBe(404);

    const deleted = await admin.client.post(`${url}/delete`, { password: PASSWORD });
    expect(deleted.status).toBe(200);
    const deletedAt = deleted.body.deletedAt as string;
    expect(deleted.body).toMatchObject({ planState: 'deleted', restorable: true });
    expect(deleted.body.services[0].purgeAt).toBe(new Date(Date.parse(deletedAt) + 180 * DAY).toISOString());
    // Members lose the org at once; the admins keep the lifecycle page.
    expect((await member.client.get(`/api/v1/orgs/${admin.orgId}`)).status).toBe(404);
    expect((await coAdmin.client.get(url)).status).toBe(200);
    expect((await admin.client.post(`${url}/delete`, { password: PASSWORD })).status).toBe(409);

    const restored = await coAdmin.client.post(`${url}/restore`, { password: PASSWORD });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ planState: 'active', deletedAt: null, restorable: false });
    expect((await member.client.get(`/api/v1/orgs/${admin.orgId}`)).status).toBe(200);
    const actions = (await t.kernel.audit.list({ orgId: admin.orgId })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['lifecycle.workspace.deleted', 'lifecycle.org.restored']));
  }, 180_000);

  it('after the purge no one can restore (W4.14); members lose the org; the contract admin keeps the receipt; it is emailed and verifies', async () => {
    const admin = await signUpUser(t);
    const coAdmin = await addMember(t, admin, 'admin');
    const url = `/api/v1/orgs/${admin.orgId}/lifecycle`;
    expect((await admin.client.post(`${url}/delete`, { password: PASSWORD })).status).toBe(200);
    t.clock.advance(180 * DAY);
    await t.lifecycle.engine.runDue();
    const view = await t.lifecycle.service.view(admin.orgId);
    expect(view.purges[0]).toMatchObject({ scope: 'org', status: 'completed' });
    expect(view.planState).toBe('purged');
    expect(view.receipts).toHaveLength(1);
    await expect(t.lifecycle.service.restore(admin.orgId, { type: 'system' }, null)).rejects.toMatchObject({ code: 'lifecycle.purge_started' });
    // Sessions do not last 180 days: sign in again; the memberships are gone with the org data.
    expect((await admin.client.post('/api/v1/sessions', { email: admin.email, password: PASSWORD })).status).toBe(200);
    expect((await coAdmin.client.post('/api/v1/sessions', { email: coAdmin.email, password: PASSWORD })).status).toBe(200);
    // The contract admin (a kept contact, W4.10) still reads the final timeline and the receipt
    // through their account (issue 16 §6); the other admin's membership went with the org.
    const final = await admin.client.get(url);
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({ planState: 'purged', restorable: false, orgName: '' });
    expect(final.body.timeline.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['org_deleted', 'purge_starts', 'purge_completed', 'last_backup_expires']));
    const receiptId = final.body.receipts[0].id as string;
    const fetched = await admin.client.get(`${url}/receipts/${receiptId}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.receipt).toMatchObject({ orgId: admin.orgId, receiptId });
    const purgedOrgs = await admin.client.get('/api/v1/lifecycle/purged-orgs');
    expect(purgedOrgs.body.items).toEqual([{ orgId: admin.orgId, deletedAt: final.body.deletedAt, receipts: [{ id: receiptId, createdAt: final.body.receipts[0].createdAt }] }]);
    const restore = await admin.client.post(`${url}/restore`, { password: PASSWORD });
    expect(restore.status).toBe(409);
    expect(restore.body.error.code).toBe('lifecycle.purge_started');
    expect((await admin.client.post(`${url}/delete`, { password: PASSWORD })).status).toBe(409);
    expect((await coAdmin.client.get(url)).status).toBe(404);
    expect((await coAdmin.client.get(`${url}/receipts/${receiptId}`)).status).toBe(404);
    expect((await coAdmin.client.get('/api/v1/lifecycle/purged-orgs')).body.items).toEqual([]);
    expect((await new TestClient(t.app).get('/api/v1/lifecycle/purged-orgs')).status).toBe(401);
    const ops = await signInOperator();
    const listed = await ops.get('/api/v1/operator/lifecycle');
    expect(listed.body.receipts.some((r: { orgId: string }) => r.orgId === admin.orgId)).toBe(true);
    const mail = (await t.kernel.mailer.outbox(50)).find((m) => m.to === admin.email && m.subject.includes('receipt'));
    const file = JSON.parse(mail!.text!.slice(mail!.text!.indexOf('{'), mail!.text!.lastIndexOf('}') + 1));
    expect(file.receipt.orgId).toBe(admin.orgId);
    const key = await new TestClient(t.app).get('/api/v1/lifecycle/public-key');
    expect(key.body.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect((await t.lifecycle.verifyReceipt(file, key.body.publicKeyPem)).ok).toBe(true);
  }, 180_000);

  it('operator API: validated, operator-only, audited; lists every org timeline', async () => {
    const admin = await signUpUser(t);
    const ops = await signInOperator();
    const url = `/api/v1/operator/orgs/${admin.orgId}/lifecycle`;
    expect((await admin.client.post(url, { service: 'workspace', state: 'paid' })).status).toBe(401);
    expect((await new TestClient(t.app).get('/api/v1/operator/lifecycle')).status).toBe(401);
    expect((await ops.post(url, { service: 'chat', state: 'paid' })).status).toBe(400);
    expect((await ops.post(url, { service: 'workspace', state: 'trial' })).status).toBe(400);
    expect((await ops.post(url, { service: 'workspace', state: 'paid', periodEndsAt: 'soon' })).status).toBe(400);
    expect((await ops.post('/api/v1/operator/orgs/nope/lifecycle', { service: 'workspace', state: 'paid' })).status).toBe(404);
    const suspended = await ops.post(url, { service: 'workspace', state: 'suspended', contractEndedAt: '2027-01-01' });
    expect(suspended.status).toBe(200);
    expect(suspended.body.services[0].autoDeleteAt).toBe('2027-04-01T00:00:00.000Z');
    const list = await ops.get('/api/v1/operator/lifecycle');
    expect(list.status).toBe(200);
    expect(list.body.items.some((i: { orgId: string }) => i.orgId === admin.orgId)).toBe(true);
    const audit = await t.kernel.audit.list({ orgId: admin.orgId, action: 'lifecycle.workspace.suspended' });
    expect(audit[0]?.actor.type).toBe('operator');
  }, 180_000);
});
