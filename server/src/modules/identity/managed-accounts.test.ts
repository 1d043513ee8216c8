import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/errors';
import { TestClient } from '../../test/client';
import { PASSWORD, signUpUser, uniqueEmail, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { DELETED_USER } from './identity.presenter';
import type { ManagedAccountActor } from './index';
import { issueSession } from './sessions.service';

/** W8.3 / W4.5: the managed-accounts contract of IdentityApi (what pass, SSO and SCIM code against). */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const scim: ManagedAccountActor = { accountId: null, kind: 'scim', ip: '127.0.0.9', userAgent: 'Okta SCIM' };
const meta = { ip: '127.0.0.1', userAgent: 'vitest', requestId: 'test' };

/** A browser signed in as a managed account, the way the SSO callback will issue the session. */
async function managedBrowser(accountId: string): Promise<TestClient> {
  const session = await issueSession(t.identity.deps, accountId, meta);
  const client = new TestClient(t.app);
  client.setCookie('toride_session', session.token);
  client.setCookie('toride_csrf', session.csrfToken);
  return client;
}

async function createManaged(admin: TestUser, overrides: Partial<{ email: string; name: string; role: 'admin' | 'member' | 'guest'; externalId: string | null }> = {}) {
  return t.identity.managedAccounts.create(admin.orgId, { email: uniqueEmail('managed'), name: 'Mia Managed', role: 'member', ...overrides }, scim);
}

async function expectAppError(promise: Promise<unknown>, status: number, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status, code });
}

describe('managed accounts: the IdentityApi contract (W8.3)', () => {
  it('creates, finds (email case-insensitively, external id) and lists; audited with the actor kind', async () => {
    const admin = await signUpUser(t);
    const email = uniqueEmail('Mixed.Case');
    const created = await createManaged(admin, { email, externalId: '00u1abcd', role: 'guest' });
    expect(created).toMatchObject({ orgId: admin.orgId, email: email.toLowerCase(), name: 'Mia Managed', role: 'guest', externalId: '00u1abcd', active: true });
    expect(await t.identity.managedAccounts.findByEmail(admin.orgId, email.toUpperCase())).toEqual(created);
    expect(await t.identity.managedAccounts.findByExternalId(admin.orgId, '00u1abcd')).toEqual(created);
    expect(await t.identity.managedAccounts.get(admin.orgId, created.id)).toEqual(created);
    expect((await t.identity.managedAccounts.list(admin.orgId)).map((a) => a.id)).toEqual([created.id]);
    const members = await t.identity.listOrgMembers(admin.orgId);
    expect(members.find((m) => m.accountId === created.id)).toMatchObject({ role: 'guest' });
    const [entry] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'managed_account.created' });
    expect(entry).toMatchObject({ actor: { type: 'system' }, ip: '127.0.0.9', userAgent: 'Okta SCIM', details: expect.objectContaining({ actorKind: 'scim' }) });
  });

  it('W7.7: another org sees none of it, by id, email or external id', async () => {
    const admin = await signUpUser(t);
    const other = await signUpUser(t);
    const created = await createManaged(admin, { externalId: 'ext-1' });
    expect(await t.identity.managedAccounts.get(other.orgId, created.id)).toBeNull();
    expect(await t.identity.managedAccounts.findByEmail(other.orgId, created.email)).toBeNull();
    expect(await t.identity.managedAccounts.findByExternalId(other.orgId, 'ext-1')).toBeNull();
    await expectAppError(t.identity.managedAccounts.update(other.orgId, created.id, { name: 'X' }, scim), 404, 'managed_account.not_found');
    await expectAppError(t.identity.managedAccounts.delete(other.orgId, created.id, scim), 404, 'managed_account.not_found');
    // An ordinary member is not a managed account either.
    await expectAppError(t.identity.managedAccounts.update(admin.orgId, admin.accountId, { name: 'X' }, scim), 404, 'managed_account.not_found');
  });

  it('answers 409 on a duplicate address (managed or not) and a duplicate external id', async () => {
    const admin = await signUpUser(t);
    const created = await createManaged(admin, { externalId: 'dup' });
    await expectAppError(createManaged(admin, { email: created.email.toUpperCase() }), 409, 'managed_account.email_taken');
    await expectAppError(createManaged(admin, { email: admin.email }), 409, 'managed_account.email_taken');
    await expectAppError(createManaged(admin, { externalId: 'dup' }), 409, 'managed_account.external_id_taken');
    await expectAppError(createManaged(admin, { email: 'not-an-email' }), 400, 'managed_account.invalid_email');
  });

  it('suspending ends every session and API key at once; reactivating does not bring them back', async () => {
    const admin = await signUpUser(t);
    const created = await createManaged(admin);
    const browser = await managedBrowser(created.id);
    expect((await browser.get('/api/v1/me')).status).toBe(200);
    const key = await browser.post('/api/v1/me/api-keys', { name: 'cli', orgId: admin.orgId });
    expect(key.status).toBe(201);
    const cli = new TestClient(t.app);
    cli.apiKey = key.body.secret;
    expect((await cli.get(`/api/v1/orgs/${admin.orgId}`)).status).toBe(200);

    const suspended = await t.identity.managedAccounts.update(admin.orgId, created.id, { active: false }, { accountId: admin.accountId, kind: 'account' });
    expect(suspended.active).toBe(false);
    expect((await browser.get('/api/v1/me')).status).toBe(401);
    expect((await cli.get(`/api/v1/orgs/${admin.orgId}`)).status).toBe(401);
    // Even a session issued after the suspension opens no org.
    const late = await managedBrowser(created.id);
    expect((await late.get(`/api/v1/orgs/${admin.orgId}`)).status).toBe(401);

    const back = await t.identity.managedAccounts.update(admin.orgId, created.id, { active: true }, scim);
    expect(back.active).toBe(true);
    expect((await cli.get(`/api/v1/orgs/${admin.orgId}`)).status).toBe(401);
    const actions = (await t.kernel.audit.list({ orgId: admin.orgId, target: created.id })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['managed_account.suspended', 'managed_account.reactivated']));
  });

  it('keeps the membership rules: never without an active admin, never without an audit reader', async () => {
    const admin = await signUpUser(t);
    const boss = await createManaged(admin, { role: 'admin' });
    const bossBrowser = await managedBrowser(boss.id);
    // The founding admin leaves; the managed admin is now the only one.
    expect((await admin.client.delete(`/api/v1/orgs/${admin.orgId}/members/${admin.accountId}`)).status).toBe(204);
    await expectAppError(t.identity.managedAccounts.update(admin.orgId, boss.id, { role: 'member' }, scim), 409, 'member.last_admin');
    await expectAppError(t.identity.managedAccounts.update(admin.orgId, boss.id, { active: false }, scim), 409, 'member.last_admin');
    await expectAppError(t.identity.managedAccounts.delete(admin.orgId, boss.id, scim), 409, 'member.last_admin');
    // With a second admin, demotion works and the audit-log permission moves with the role.
    const second = await createManaged(admin, { role: 'admin' });
    const demoted = await t.identity.managedAccounts.update(admin.orgId, boss.id, { role: 'member' }, scim);
    expect(demoted.role).toBe('member');
    expect((await bossBrowser.get(`/api/v1/orgs/${admin.orgId}/audit-events`)).status).toBe(403);
    expect(second.role).toBe('admin');
    // The members API cannot orphan a managed account.
    const removal = await bossBrowser.delete(`/api/v1/orgs/${admin.orgId}/members/${boss.id}`);
    expect(removal.status).toBe(409);
    expect(removal.body.error.code).toBe('member.managed_account');
  });

  it('W4.5: deleting purges personal data at once; authored content reads "deleted user"', async () => {
    const admin = await signUpUser(t);
    const created = await createManaged(admin, { externalId: 'gone-1' });
    const browser = await managedBrowser(created.id);
    const team = await browser.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: `Team ${created.id.slice(-6)}` });
    expect(team.status).toBe(201);
    await t.identity.managedAccounts.delete(admin.orgId, created.id, { accountId: admin.accountId, kind: 'account' });
    await t.kernel.events.drain();
    expect((await browser.get('/api/v1/me')).status).toBe(401);
    expect(await t.identity.managedAccounts.get(admin.orgId, created.id)).toBeNull();
    expect(await t.identity.managedAccounts.findByExternalId(admin.orgId, 'gone-1')).toBeNull();
    const row = await t.identity.deps.db.selectFrom('accounts').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email: null, name: null, external_id: null, password_hash: null });
    expect(row.deleted_at).not.toBeNull();
    const summaries = await t.identity.accountSummaries([created.id]);
    expect(summaries.get(created.id)).toEqual({ name: DELETED_USER, deleted: true });
    const members = await t.identity.listOrgMembers(admin.orgId);
    expect(members.map((m) => m.accountId)).not.toContain(created.id);
    // The team the account made stays with the org.
    const teams = await admin.client.get(`/api/v1/orgs/${admin.orgId}/teams`);
    expect(JSON.stringify(teams.body)).toContain(team.body.id);
    // The address is free again.
    expect((await createManaged(admin, { email: created.email })).email).toBe(created.email);
  });
});

describe('managed accounts have no password (W8.3)', () => {
  it('refuses password sign-in exactly like a wrong password (issue 13 §4), and no reset link is mailed', async () => {
    const admin = await signUpUser(t);
    const created = await createManaged(admin);
    const client = new TestClient(t.app);
    const signIn = await client.post('/api/v1/sessions', { email: created.email, password: PASSWORD });
    expect(signIn.status).toBe(401);
    expect(signIn.body.error.code).toBe('auth.invalid_credentials');
    const before = (await t.kernel.mailer.outbox(500)).filter((m) => m.to === created.email).length;
    expect((await client.post('/api/v1/password-resets', { email: created.email })).status).toBe(202);
    expect((await t.kernel.mailer.outbox(500)).filter((m) => m.to === created.email)).toHaveLength(before);
  });

  it('refuses self-deletion and password change', async () => {
    const admin = await signUpUser(t);
    const created = await createManaged(admin);
    const browser = await managedBrowser(created.id);
    const deletion = await browser.post('/api/v1/me/delete', { password: PASSWORD });
    expect(deletion.status).toBe(403);
    expect(deletion.body.error.code).toBe('account.managed_by_org');
    const change = await browser.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'another long password' });
    expect(change.status).toBe(403);
    expect(change.body.error.code).toBe('account.managed_by_org');
  });
});
