import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, SECOND } from '../../kernel/clock';
import { TestClient } from '../../test/client';
import { addMember, PASSWORD, signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

/**
 * `GET /api/v1/me` shows each org's lifecycle state (W4.1–W4.3, issue 5 §5): the web app's banner
 * and, for admins during the grace period, the way back to the restore action.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
}, 180_000);
afterAll(async () => {
  await t.close();
});

type MeOrg = { id: string; role: string; lifecycle: { state: string; deletesAt: string | null; purgeStartsAt: string | null } };
const orgsOf = async (user: TestUser): Promise<MeOrg[]> => {
  const me = await user.client.get('/api/v1/me');
  expect(me.status).toBe(200);
  return me.body.orgs as MeOrg[];
};
const orgIn = async (user: TestUser, orgId: string) => (await orgsOf(user)).find((o) => o.id === orgId);
const operator = { type: 'system' as const, name: 'test' };

describe('GET /api/v1/me: lifecycle state per org', () => {
  it('an org without a recorded contract reads active; trial and suspension show when the org will be deleted', async () => {
    const admin = await signUpUser(t);
    expect(await orgIn(admin, admin.orgId)).toMatchObject({ lifecycle: { state: 'active', deletesAt: null, purgeStartsAt: null } });

    const trialEnds = new Date(t.clock.now().getTime() + 10 * DAY);
    await t.lifecycle.service.setState(admin.orgId, 'workspace', 'trial', { trialEndsAt: trialEnds }, operator, null, 'test');
    expect(await orgIn(admin, admin.orgId)).toMatchObject({
      lifecycle: { state: 'trial', deletesAt: new Date(trialEnds.getTime() + 30 * DAY).toISOString(), purgeStartsAt: null },
    });
    await t.lifecycle.service.setState(admin.orgId, 'workspace', 'suspended', {}, operator, null, 'test');
    expect(await orgIn(admin, admin.orgId)).toMatchObject({
      lifecycle: { state: 'suspended', deletesAt: new Date(t.clock.now().getTime() + 90 * DAY).toISOString(), purgeStartsAt: null },
    });
  }, 120_000);

  it('a deleted org in its grace period: admins see state deleted with purgeStartsAt, members and others do not see it; restore and purge follow', async () => {
    const admin = await signUpUser(t, { orgName: 'Grace Co' });
    const member = await addMember(t, admin, 'member');
    const stranger = await signUpUser(t);
    expect((await orgIn(member, admin.orgId))?.lifecycle.state).toBe('active');

    const deleted = await admin.client.post(`/api/v1/orgs/${admin.orgId}/lifecycle/delete`, { password: PASSWORD });
    expect(deleted.status).toBe(200);
    const purgeStartsAt = new Date(t.clock.now().getTime() + 180 * DAY).toISOString();
    expect(await orgIn(admin, admin.orgId)).toMatchObject({ role: 'admin', lifecycle: { state: 'deleted', deletesAt: null, purgeStartsAt } });
    expect(await orgIn(member, admin.orgId)).toBeUndefined();
    expect(await orgIn(stranger, admin.orgId)).toBeUndefined();
    // Sign-in answers with the same /me.
    const signIn = await new TestClient(t.app).post('/api/v1/sessions', { email: admin.email, password: PASSWORD });
    expect(signIn.body.me.orgs.find((o: MeOrg) => o.id === admin.orgId)).toMatchObject({ lifecycle: { state: 'deleted', purgeStartsAt } });

    const restored = await admin.client.post(`/api/v1/orgs/${admin.orgId}/lifecycle/restore`, { password: PASSWORD });
    expect(restored.body).toMatchObject({ restorable: false });
    expect(restored.status).toBe(200);
    expect((await orgIn(admin, admin.orgId))?.lifecycle).toMatchObject({ state: 'paid', purgeStartsAt: null });
    expect((await orgIn(member, admin.orgId))?.lifecycle.state).toBe('paid');

    await admin.client.post(`/api/v1/orgs/${admin.orgId}/lifecycle/delete`, { password: PASSWORD });
    t.clock.advance(180 * DAY + SECOND);
    await t.lifecycle.engine.runDue();
    // Purged: no one can restore it, so it leaves the admin's list too (a fresh session: 180 days passed).
    const later = await new TestClient(t.app).post('/api/v1/sessions', { email: admin.email, password: PASSWORD });
    expect(later.status).toBe(200);
    expect(later.body.me.orgs.find((o: MeOrg) => o.id === admin.orgId)).toBeUndefined();
  }, 180_000);

  it('anonymous callers get 401; an org-scoped API key sees only its org, with its state', async () => {
    expect((await new TestClient(t.app).get('/api/v1/me')).status).toBe(401);
    const admin = await signUpUser(t);
    const key = await admin.client.post('/api/v1/me/api-keys', { name: 'bot', orgId: admin.orgId });
    expect(key.status).toBe(201);
    const bot = new TestClient(t.app);
    bot.apiKey = key.body.secret;
    const me = await bot.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.orgs).toEqual([expect.objectContaining({ id: admin.orgId, lifecycle: { state: 'active', deletesAt: null, purgeStartsAt: null } })]);
  }, 120_000);
});
