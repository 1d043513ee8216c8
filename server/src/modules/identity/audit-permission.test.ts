import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, PASSWORD, signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import * as createIdentity from './migrations/20261125T1905-create-identity';
import * as addAuditPermission from './migrations/20261125T2000-add-audit-permission';

/** W7.6: who may read the audit log is itself a permission, and at least one admin always holds it. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const memberUrl = (admin: TestUser, accountId: string) => `/api/v1/orgs/${admin.orgId}/members/${accountId}`;
const auditUrl = (orgId: string) => `/api/v1/orgs/${orgId}/audit-events`;
async function memberView(admin: TestUser, accountId: string) {
  const list = await admin.client.get(`/api/v1/orgs/${admin.orgId}/members`);
  return list.body.items.find((m: { accountId: string }) => m.accountId === accountId);
}

describe('audit-log permission (W7.6)', () => {
  it('W7.6: org creators and invited admins hold it; members and guests do not', async () => {
    const admin = await signUpUser(t);
    const second = await addMember(t, admin, 'admin');
    const member = await addMember(t, admin, 'member');
    const guest = await addMember(t, admin, 'guest');
    expect((await admin.client.get(`/api/v1/orgs/${admin.orgId}`)).body.abilities.readAudit).toBe(true);
    expect(await memberView(admin, admin.accountId)).toMatchObject({ canReadAudit: true });
    expect(await memberView(admin, second.accountId)).toMatchObject({ role: 'admin', canReadAudit: true });
    expect(await memberView(admin, member.accountId)).toMatchObject({ canReadAudit: false });
    expect((await member.client.get(`/api/v1/orgs/${admin.orgId}`)).body.abilities.readAudit).toBe(false);
    expect((await guest.client.get(auditUrl(admin.orgId))).status).toBe(403);
    expect((await second.client.get(auditUrl(admin.orgId))).status).toBe(200);
  });

  it('W7.6: admins grant it to a member and revoke it; guests never hold it; members cannot grant it', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member');
    const guest = await addMember(t, admin, 'guest');
    expect((await member.client.patch(memberUrl(admin, member.accountId), { canReadAudit: true })).status).toBe(403);
    const granted = await admin.client.patch(memberUrl(admin, member.accountId), { canReadAudit: true });
    expect(granted).toMatchObject({ status: 200, body: { role: 'member', canReadAudit: true } });
    expect((await member.client.get(auditUrl(admin.orgId))).status).toBe(200);
    expect((await member.client.get(`/api/v1/orgs/${admin.orgId}`)).body.abilities).toMatchObject({ readAudit: true, manageMembers: false });
    const [change] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'member.updated' });
    expect(change?.details).toMatchObject({ from: { canReadAudit: false }, to: { canReadAudit: true } });
    expect((await admin.client.patch(memberUrl(admin, member.accountId), { canReadAudit: false })).body.canReadAudit).toBe(false);
    expect((await member.client.get(auditUrl(admin.orgId))).status).toBe(403);
    expect((await admin.client.patch(memberUrl(admin, guest.accountId), { canReadAudit: true })).body).toMatchObject({ role: 'guest', canReadAudit: false });
  });

  it('W7.6: promotion to admin brings it; demotion drops it unless kept explicitly', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member');
    expect((await admin.client.patch(memberUrl(admin, member.accountId), { role: 'admin' })).body).toMatchObject({ role: 'admin', canReadAudit: true });
    expect((await admin.client.patch(memberUrl(admin, member.accountId), { role: 'member' })).body).toMatchObject({ role: 'member', canReadAudit: false });
    expect((await admin.client.patch(memberUrl(admin, member.accountId), { role: 'admin', canReadAudit: false })).body).toMatchObject({ canReadAudit: false });
    expect((await admin.client.patch(memberUrl(admin, member.accountId), { role: 'member', canReadAudit: true })).body).toMatchObject({ role: 'member', canReadAudit: true });
  });

  it('W7.6: the last admin holding it cannot lose it — by revoking, demoting or removal', async () => {
    const a = await signUpUser(t);
    const lastReader = { status: 409, body: { error: { code: 'member.last_audit_reader' } } };
    expect(await a.client.patch(memberUrl(a, a.accountId), { canReadAudit: false })).toMatchObject(lastReader);
    const b = await addMember(t, a, 'admin');
    expect((await a.client.patch(memberUrl(a, b.accountId), { canReadAudit: false })).status).toBe(200);
    expect(await b.client.patch(memberUrl(a, a.accountId), { canReadAudit: false })).toMatchObject(lastReader);
    expect(await b.client.patch(memberUrl(a, a.accountId), { role: 'member' })).toMatchObject(lastReader);
    expect(await b.client.delete(memberUrl(a, a.accountId))).toMatchObject(lastReader);
    expect(await a.client.delete(memberUrl(a, a.accountId))).toMatchObject(lastReader);
    // A member holding it does not count: the invariant is about admins.
    const reader = await addMember(t, a, 'member');
    await a.client.patch(memberUrl(a, reader.accountId), { canReadAudit: true });
    expect(await a.client.patch(memberUrl(a, a.accountId), { canReadAudit: false })).toMatchObject(lastReader);
    // Once b holds it again, a may hand it back.
    expect((await a.client.patch(memberUrl(a, b.accountId), { canReadAudit: true })).status).toBe(200);
    expect((await a.client.patch(memberUrl(a, a.accountId), { canReadAudit: false })).body.canReadAudit).toBe(false);
    expect((await a.client.get(auditUrl(a.orgId))).status).toBe(403);
  });

  it('W7.6: when the only holding admin deletes their account, the remaining admins get it', async () => {
    const a = await signUpUser(t);
    const b = await addMember(t, a, 'admin');
    await a.client.patch(memberUrl(a, b.accountId), { canReadAudit: false });
    expect((await a.client.post('/api/v1/me/delete', { password: PASSWORD })).status).toBe(204);
    expect(await memberView(b, b.accountId)).toMatchObject({ role: 'admin', canReadAudit: true });
  });

  it('W7.6: the migration gives the permission to every existing admin and to no one else', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
    try {
      await createIdentity.up(db);
      const now = '2026-11-25T00:00:00.000Z';
      await db.insertInto('organizations').values({ id: 'o1', name: 'Old', locale: 'en', require_two_factor: 0, plan_state: 'active', created_at: now }).execute();
      for (const [id, role] of [['a1', 'admin'], ['m1', 'member'], ['g1', 'guest']] as const) {
        await db.insertInto('accounts').values({ id, email: `${id}@example.test`, name: id, locale: 'en', created_at: now }).execute();
        await db.insertInto('memberships').values({ org_id: 'o1', account_id: id, role, can_invite: 0, created_at: now }).execute();
      }
      await addAuditPermission.up(db);
      const rows = await db.selectFrom('memberships').select(['account_id', 'can_read_audit']).orderBy('account_id').execute();
      expect(rows).toEqual([
        { account_id: 'a1', can_read_audit: 1 },
        { account_id: 'g1', can_read_audit: 0 },
        { account_id: 'm1', can_read_audit: 0 },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
