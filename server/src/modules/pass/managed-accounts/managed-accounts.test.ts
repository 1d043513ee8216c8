import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../../kernel/clock';
import { TestClient } from '../../../test/client';
import { addMember, invite, PASSWORD, signUpUser, tokenFromMail, uniqueEmail, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from '../domains/dns-test-server';

/** W8.3 / W4.5: the managed-accounts admin API, CSV import and conversion, over real HTTP and DNS. */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await buildTestApp({ config: { dnsServers: dns.address } });
});
afterAll(async () => {
  await t.close();
  await dns.close();
});

const url = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/pass/managed-accounts${rest}`;
const freshDomain = () => `ma-${Math.random().toString(36).slice(2, 10)}.example.test`;

async function verifiedDomain(admin: TestUser): Promise<string> {
  const domain = freshDomain();
  const added = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/domains`, { domain });
  dns.records.set(added.body.txtRecord.name, [added.body.txtRecord.value]);
  expect((await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/domains/${added.body.id}/verify`)).status).toBe(200);
  return domain;
}

/** A member with an address of our choosing, signed up through a real invitation. */
async function memberWithEmail(admin: TestUser, email: string): Promise<TestUser> {
  const { token } = await invite(t, admin, 'member', email);
  const client = new TestClient(t.app);
  const accepted = await client.post(`/api/v1/invitations/${token}/accept`, { name: 'Carl Convert', password: PASSWORD, locale: 'en' });
  expect(accepted.status).toBe(200);
  return { client, accountId: accepted.body.me.account.id, email, orgId: admin.orgId };
}

const importCsv = (admin: TestUser, csv: string, query = '') =>
  admin.client.request('POST', url(admin.orgId, `/import${query}`), csv, { 'content-type': 'text/csv' });

describe('managed accounts admin API (W8.3)', () => {
  it('creates, lists, edits, suspends, reactivates and deletes', async () => {
    const admin = await signUpUser(t);
    const email = uniqueEmail('mia');
    const created = await admin.client.post(url(admin.orgId), { email, name: 'Mia', role: 'member' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, name: 'Mia', role: 'member', active: true, externalId: null, orgId: admin.orgId });
    const id = created.body.id as string;
    expect((await admin.client.get(url(admin.orgId))).body.accounts).toEqual([created.body]);
    const edited = await admin.client.patch(url(admin.orgId, `/${id}`), { name: 'Mia M.', role: 'guest' });
    expect(edited.body).toMatchObject({ name: 'Mia M.', role: 'guest' });
    expect((await admin.client.patch(url(admin.orgId, `/${id}`), { active: false })).body.active).toBe(false);
    expect((await admin.client.patch(url(admin.orgId, `/${id}`), { active: true })).body.active).toBe(true);
    expect((await admin.client.delete(url(admin.orgId, `/${id}`))).status).toBe(204);
    expect((await admin.client.get(url(admin.orgId))).body.accounts).toEqual([]);
    const actions = (await t.kernel.audit.list({ orgId: admin.orgId, target: id })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['managed_account.created', 'member.updated', 'managed_account.updated', 'managed_account.suspended', 'managed_account.reactivated', 'managed_account.deleted']),
    );
    const [deleted] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'managed_account.deleted' });
    expect(deleted).toMatchObject({ actor: { type: 'account', id: admin.accountId }, details: expect.objectContaining({ actorKind: 'account' }) });
  });

  it('answers 409 for an address that already has an account', async () => {
    const admin = await signUpUser(t);
    const response = await admin.client.post(url(admin.orgId), { email: admin.email, name: 'Dup', role: 'member' });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('managed_account.email_taken');
  });
});

describe('CSV import (W8.3)', () => {
  it('reports every row: created, updated, unchanged and errors with reasons', async () => {
    const admin = await signUpUser(t);
    const keep = uniqueEmail('keep');
    const change = uniqueEmail('change');
    await admin.client.post(url(admin.orgId), { email: keep, name: 'Kept', role: 'member' });
    await admin.client.post(url(admin.orgId), { email: change, name: 'Old Name', role: 'member' });
    const fresh = uniqueEmail('fresh');
    const csv = [
      'Name,Email,Role',
      `"Fresh, Person",${fresh.toUpperCase()},guest`,
      `Kept,${keep},member`,
      `New Name,${change},admin`,
      `Broken,not-an-email,member`,
      `Wrong Role,${uniqueEmail('role')},owner`,
      `Taken,${admin.email},member`,
      `Twice,${fresh},member`,
      '',
    ].join('\n');
    const dry = await importCsv(admin, csv, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body.summary).toEqual({ created: 2, updated: 1, unchanged: 1, error: 3 });
    expect((await admin.client.get(url(admin.orgId))).body.accounts).toHaveLength(2);

    const response = await importCsv(admin, csv);
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ created: 1, updated: 1, unchanged: 1, error: 4 });
    const byLine = Object.fromEntries(response.body.rows.map((r: { line: number }) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ email: fresh, status: 'created', error: null });
    expect(byLine[3]).toMatchObject({ status: 'unchanged' });
    expect(byLine[4]).toMatchObject({ status: 'updated' });
    expect(byLine[5]).toMatchObject({ status: 'error', error: { code: 'managed_account.invalid_email' } });
    expect(byLine[6]).toMatchObject({ status: 'error', error: { code: 'managed_account.invalid_role' } });
    expect(byLine[7]).toMatchObject({ status: 'error', error: { code: 'managed_account.email_taken' } });
    expect(byLine[8]).toMatchObject({ status: 'error', error: { code: 'managed_import.duplicate_row' } });
    const accounts = (await admin.client.get(url(admin.orgId))).body.accounts as { email: string; name: string; role: string }[];
    expect(accounts.find((a) => a.email === fresh)).toMatchObject({ name: 'Fresh, Person', role: 'guest' });
    expect(accounts.find((a) => a.email === change)).toMatchObject({ name: 'New Name', role: 'admin' });
    const [audited] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'managed_account.imported' });
    expect(audited).toMatchObject({ outcome: 'failure', details: { created: 1, updated: 1, unchanged: 1, error: 4 } });
  });

  it('refuses a whole file that is not valid, and changes nothing', async () => {
    const admin = await signUpUser(t);
    const cases: [string, string][] = [
      ['email,name\nx@example.test,X', 'managed_import.missing_columns'],
      ['email,name,role\n', 'managed_import.empty'],
      ['email,name,role\n"unterminated,x,member', 'managed_import.invalid_csv'],
      [`email,name,role\n${Array.from({ length: 5001 }, (_, i) => `u${i}@example.test,U,member`).join('\n')}`, 'managed_import.too_many_rows'],
    ];
    for (const [csv, code] of cases) {
      const response = await importCsv(admin, csv);
      expect(response.status, code).toBe(400);
      expect(response.body.error.code).toBe(code);
    }
    const huge = `email,name,role\n${'x'.repeat(1024 * 1024 + 10)}`;
    expect((await importCsv(admin, huge)).status).toBe(400);
    expect((await admin.client.post(url(admin.orgId, '/import'), { csv: huge })).status).toBe(400);
    expect((await importCsv(admin, `${huge}${'y'.repeat(128 * 1024)}`)).status).toBe(413);
    // The web app sends the file as JSON.
    const viaJson = await admin.client.post(url(admin.orgId, '/import'), { csv: `email,name,role\n${uniqueEmail('json')},J,member` });
    expect(viaJson.body.summary).toMatchObject({ created: 1 });
    expect((await admin.client.get(url(admin.orgId))).body.accounts).toHaveLength(1);
  });
});

describe('conversion of an existing account (W8.3)', () => {
  it('needs a verified domain, the user\'s consent by a single-use link; then no password, no sessions', async () => {
    const admin = await signUpUser(t);
    const outsider = await addMember(t, admin, 'member');
    const refused = await admin.client.post(url(admin.orgId, '/conversions'), { accountId: outsider.accountId });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('managed_conversion.domain_not_verified');

    const domain = await verifiedDomain(admin);
    const carl = await memberWithEmail(admin, `carl-${Date.now()}@${domain}`);
    expect((await admin.client.get(url(admin.orgId, '/convertible'))).body.members.map((m: { accountId: string }) => m.accountId)).toEqual([carl.accountId]);
    // A reset link the user asked for before the conversion must not work afterwards.
    await new TestClient(t.app).post('/api/v1/password-resets', { email: carl.email });
    const resetToken = await tokenFromMail(t, carl.email, /reset-password\?token=([\w%-]+)/);

    expect((await admin.client.post(url(admin.orgId, '/conversions'), { accountId: carl.accountId })).status).toBe(202);
    const token = await tokenFromMail(t, carl.email, /managed-consent\?token=([\w%-]+)/);
    const anonymous = new TestClient(t.app);
    const preview = await anonymous.post('/api/v1/pass/managed-conversion/preview', { token });
    expect(preview.body).toEqual({ orgName: 'Acme', email: carl.email });
    expect((await carl.client.get('/api/v1/me')).status).toBe(200);
    const confirmed = await anonymous.post('/api/v1/pass/managed-conversion/confirm', { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ status: 'converted', orgId: admin.orgId });
    // Replayed link: refused.
    const replay = await anonymous.post('/api/v1/pass/managed-conversion/confirm', { token });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('managed_conversion.invalid_token');
    // Sessions ended, password gone, old reset link refused.
    expect((await carl.client.get('/api/v1/me')).status).toBe(401);
    // Issue 13 §4: a managed address answers like a wrong password (no enumeration).
    expect((await anonymous.post('/api/v1/sessions', { email: carl.email, password: PASSWORD })).body.error.code).toBe('auth.invalid_credentials');
    const reset = await anonymous.post('/api/v1/password-resets/confirm', { token: resetToken, password: 'a brand new password' });
    expect(reset.status).toBe(403);
    expect(reset.body.error.code).toBe('password_reset.managed_account');
    const listed = (await admin.client.get(url(admin.orgId))).body.accounts;
    expect(listed.map((a: { id: string }) => a.id)).toEqual([carl.accountId]);

    // Back to an ordinary account: a reset link to set a password.
    expect((await admin.client.post(url(admin.orgId, `/${carl.accountId}/unmanage`))).status).toBe(204);
    const setToken = await tokenFromMail(t, carl.email, /reset-password\?token=([\w%-]+)/);
    expect((await anonymous.post('/api/v1/password-resets/confirm', { token: setToken, password: 'a brand new password' })).status).toBe(204);
    expect((await anonymous.post('/api/v1/sessions', { email: carl.email, password: 'a brand new password' })).status).toBe(200);
    const actions = (await t.kernel.audit.list({ orgId: admin.orgId, target: carl.accountId })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['managed_account.conversion_requested', 'managed_account.converted', 'managed_account.unmanaged']));
  });

  it('refuses an expired link and a link superseded by a newer one', async () => {
    const admin = await signUpUser(t);
    const domain = await verifiedDomain(admin);
    const dana = await memberWithEmail(admin, `dana-${Date.now()}@${domain}`);
    await admin.client.post(url(admin.orgId, '/conversions'), { accountId: dana.accountId });
    const first = await tokenFromMail(t, dana.email, /managed-consent\?token=([\w%-]+)/);
    await admin.client.post(url(admin.orgId, '/conversions'), { accountId: dana.accountId });
    const second = await tokenFromMail(t, dana.email, /managed-consent\?token=([\w%-]+)/);
    expect(second).not.toBe(first);
    const anonymous = new TestClient(t.app);
    expect((await anonymous.post('/api/v1/pass/managed-conversion/confirm', { token: first })).body.error.code).toBe('managed_conversion.invalid_token');
    t.clock.advance(7 * DAY + 1000);
    const expired = await anonymous.post('/api/v1/pass/managed-conversion/confirm', { token: second });
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('managed_conversion.invalid_token');
    expect((await admin.client.get(url(admin.orgId))).body.accounts).toEqual([]);
  });
});

describe('managed accounts: permissions and tenancy (W7.1, W7.7)', () => {
  let admin: TestUser;
  let accountId: string;
  beforeAll(async () => {
    admin = await signUpUser(t);
    accountId = (await admin.client.post(url(admin.orgId), { email: uniqueEmail('perm'), name: 'P', role: 'member' })).body.id;
  });

  it('answers 401 signed out and 403 to members and guests', async () => {
    const anonymous = new TestClient(t.app);
    expect((await anonymous.get(url(admin.orgId))).status).toBe(401);
    expect((await anonymous.post(url(admin.orgId), { email: uniqueEmail(), name: 'X', role: 'member' })).status).toBe(401);
    for (const role of ['member', 'guest'] as const) {
      const user = await addMember(t, admin, role);
      expect((await user.client.get(url(admin.orgId))).status).toBe(403);
      expect((await user.client.post(url(admin.orgId), { email: uniqueEmail(), name: 'X', role: 'member' })).status).toBe(403);
      expect((await user.client.patch(url(admin.orgId, `/${accountId}`), { active: false })).status).toBe(403);
      expect((await user.client.delete(url(admin.orgId, `/${accountId}`))).status).toBe(403);
      expect((await importCsv(user, 'email,name,role\na@b.test,A,member')).status).toBe(403);
      expect((await user.client.post(url(admin.orgId, '/conversions'), { accountId })).status).toBe(403);
    }
  });

  it('answers 400 to bad input', async () => {
    const bad = [
      { email: 'x@example.test', name: 'X', role: 'owner' },
      { email: 'x@example.test', name: '', role: 'member' },
      { email: 'x@example.test', name: 'X', role: 'member', password: 'nope' },
      { name: 'X', role: 'member' },
    ];
    for (const body of bad) expect((await admin.client.post(url(admin.orgId), body)).status).toBe(400);
    expect((await admin.client.patch(url(admin.orgId, `/${accountId}`), {})).status).toBe(400);
    expect((await admin.client.post('/api/v1/pass/managed-conversion/confirm', { token: 'short' })).status).toBe(400);
  });

  it('answers 404 to unknown ids, and another org\'s ids exactly like random ones', async () => {
    const other = await signUpUser(t);
    const theirs = (await other.client.post(url(other.orgId), { email: uniqueEmail('theirs'), name: 'T', role: 'member' })).body.id as string;
    const random = '0193e4a2-0000-7000-8000-000000000001';
    for (const id of [random, theirs]) {
      const patch = await admin.client.patch(url(admin.orgId, `/${id}`), { name: 'Y' });
      const del = await admin.client.delete(url(admin.orgId, `/${id}`));
      const unmanage = await admin.client.post(url(admin.orgId, `/${id}/unmanage`));
      expect([patch.status, del.status, unmanage.status]).toEqual([404, 404, 404]);
      expect(patch.body).toEqual({ error: { code: 'managed_account.not_found', message: 'Managed account not found.' } });
      const convert = await admin.client.post(url(admin.orgId, '/conversions'), { accountId: id });
      expect(convert.body.error.code).toBe('managed_conversion.domain_not_verified');
    }
    const cross = await admin.client.get(url(other.orgId));
    const made = await admin.client.get(url(random));
    expect(cross.status).toBe(404);
    expect(cross.body).toEqual(made.body);
    expect((await other.client.get(url(other.orgId))).body.accounts).toHaveLength(1);
  });
});
