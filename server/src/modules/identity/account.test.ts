import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../kernel/totp';
import { TestClient } from '../../test/client';
import { addMember, enableTwoFactor, PASSWORD, signUpUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('profile and organizations', () => {
  it('updates name and language', async () => {
    const user = await signUpUser(t);
    const updated = await user.client.patch('/api/v1/me', { name: 'Ada L.', locale: 'ja' });
    expect(updated.body.account).toMatchObject({ name: 'Ada L.', locale: 'ja' });
    expect((await user.client.patch('/api/v1/me', { name: '' })).status).toBe(400);
  });

  it('belongs to several organizations and creates new ones', async () => {
    const user = await signUpUser(t, { orgName: 'First' });
    const created = await user.client.post('/api/v1/orgs', { name: 'Second', locale: 'ja' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Second', locale: 'ja', myRole: 'admin', abilities: { manageOrg: true } });
    const me = await user.client.get('/api/v1/me');
    expect(me.body.orgs.map((o: { name: string }) => o.name)).toEqual(['First', 'Second']);
    const renamed = await user.client.patch(`/api/v1/orgs/${created.body.id}`, { name: 'Second Co' });
    expect(renamed.body.name).toBe('Second Co');
  });
});

describe('personal API keys', () => {
  it('shows the secret once, stores a hash, opens only its org, records last use, and can be revoked', async () => {
    const user = await signUpUser(t);
    const otherOrg = await user.client.post('/api/v1/orgs', { name: 'Elsewhere', locale: 'en' });
    const created = await user.client.post('/api/v1/me/api-keys', { name: 'CI bot', orgId: user.orgId });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^trd_/);
    expect(created.body.apiKey).toMatchObject({ name: 'CI bot', orgId: user.orgId, lastUsedAt: null });
    expect(secret.startsWith(`trd_${created.body.apiKey.prefix}_`)).toBe(true);
    const stored = await (t.identity.deps.db as any).selectFrom('api_keys').selectAll().where('id', '=', created.body.apiKey.id).executeTakeFirst();
    expect(JSON.stringify(stored)).not.toContain(secret);

    const bot = new TestClient(t.app);
    bot.apiKey = secret;
    expect((await bot.get(`/api/v1/orgs/${user.orgId}/members`)).status).toBe(200);
    expect((await bot.post(`/api/v1/orgs/${user.orgId}/teams`, { name: 'Made by bot' })).status).toBe(201);
    expect((await bot.get(`/api/v1/orgs/${otherOrg.body.id}`)).status).toBe(404);
    const meByKey = await bot.get('/api/v1/me');
    expect(meByKey.body.orgs.map((o: { id: string }) => o.id)).toEqual([user.orgId]);
    expect((await bot.post('/api/v1/me/api-keys', { name: 'escalate', orgId: user.orgId })).body.error.code).toBe('auth.session_required');
    const listed = await user.client.get('/api/v1/me/api-keys');
    expect(listed.body.items[0].lastUsedAt).toBe(t.clock.now().toISOString());
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    expect((await user.client.delete(`/api/v1/me/api-keys/${created.body.apiKey.id}`)).status).toBe(204);
    const revoked = await bot.get(`/api/v1/orgs/${user.orgId}`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('auth.invalid_api_key');
    expect((await user.client.delete(`/api/v1/me/api-keys/${created.body.apiKey.id}`)).status).toBe(404);
  });

  it('refuses a key for an org the account is not in', async () => {
    const user = await signUpUser(t);
    const stranger = await signUpUser(t);
    const refused = await user.client.post('/api/v1/me/api-keys', { name: 'x', orgId: stranger.orgId });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('org.not_found');
  });
});

describe('account deletion (W6.3, W4.4, W4.11)', () => {
  it('needs the password (and a 2FA code when on), erases personal data at once, keeps the id as "deleted user"', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member', { name: 'Leaving Person' });
    const { secret } = await enableTwoFactor(t, member);
    const team = await member.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Built by member', memberIds: [member.accountId] });
    await member.client.post('/api/v1/me/api-keys', { name: 'k', orgId: admin.orgId });

    expect((await member.client.post('/api/v1/me/delete', { password: 'wrong password' })).status).toBe(401);
    expect((await member.client.post('/api/v1/me/delete', { password: PASSWORD })).body.error.code).toBe('two_factor.code_required');
    t.clock.advance(30_000);
    expect((await member.client.post('/api/v1/me/delete', { password: PASSWORD, code: currentTotp(secret, t.clock.now()) })).status).toBe(204);

    expect((await member.client.get('/api/v1/me')).status).toBe(401);
    expect((await new TestClient(t.app).post('/api/v1/sessions', { email: member.email, password: PASSWORD })).status).toBe(401);
    const row = await (t.identity.deps.db as any).selectFrom('accounts').selectAll().where('id', '=', member.accountId).executeTakeFirst();
    expect(row).toMatchObject({ email: null, name: null, password_hash: null, totp_secret: null });
    expect(row.deleted_at).toBeTruthy();
    const db = t.identity.deps.db as any;
    for (const table of ['sessions', 'api_keys', 'recovery_codes', 'memberships', 'team_members', 'email_tokens']) {
      expect(await db.selectFrom(table).selectAll().where('account_id', '=', member.accountId).execute()).toEqual([]);
    }
    expect(await db.selectFrom('invitations').selectAll().where('email', '=', member.email).execute()).toEqual([]);
    const kept = (await t.kernel.mailer.outbox(200)).filter((m) => m.to === member.email);
    expect(kept.map((m) => m.subject)).toEqual(['Your Toride account was deleted']);
    // The team the account created stays with the org.
    expect((await admin.client.get(`/api/v1/orgs/${admin.orgId}/teams/${team.body.id}`)).body.name).toBe('Built by member');
    expect((await t.identity.accountSummaries([member.accountId])).get(member.accountId)).toEqual({ name: 'deleted user', deleted: true });
    // The address is free again for a new sign-up.
    expect((await new TestClient(t.app).post('/api/v1/signup', { email: member.email, password: PASSWORD, name: 'New', orgName: 'N', locale: 'en' })).status).toBe(201);
  });

  it('refuses when it would leave an org with members but no admin; closes an org it was the only member of', async () => {
    const admin = await signUpUser(t);
    await addMember(t, admin, 'member');
    const solo = await admin.client.post('/api/v1/orgs', { name: 'Solo', locale: 'en' });
    const refused = await admin.client.post('/api/v1/me/delete', { password: PASSWORD });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'account.last_admin', details: { orgs: [{ id: admin.orgId, name: 'Acme' }] } });

    const lone = await signUpUser(t, { orgName: 'Lonely' });
    expect((await lone.client.post('/api/v1/me/delete', { password: PASSWORD })).status).toBe(204);
    const ops = await t.identity.listOrganizationsMetadata();
    expect(ops.find((o) => o.id === lone.orgId)?.planState).toBe('deleted');
    expect(ops.find((o) => o.id === solo.body.id)?.planState).toBe('active');
  });
});

describe('email change (W2.4)', () => {
  it('changes the address only after the new one confirms, and tells the old one', async () => {
    const user = await signUpUser(t);
    const other = await signUpUser(t);
    const { tokenFromMail, uniqueEmail } = await import('../../test/factories');
    expect((await user.client.post('/api/v1/me/email', { email: other.email, password: PASSWORD })).body.error.code).toBe('account.email_taken');
    expect((await user.client.post('/api/v1/me/email', { email: uniqueEmail(), password: 'wrong password' })).status).toBe(401);
    const next = uniqueEmail('moved');
    expect((await user.client.post('/api/v1/me/email', { email: next, password: PASSWORD })).status).toBe(202);
    expect((await user.client.get('/api/v1/me')).body.account.email).toBe(user.email);
    const token = await tokenFromMail(t, next, /verify-email\?token=([\w%-]+)/);
    expect((await new TestClient(t.app).post('/api/v1/email-verification/confirm', { token })).status).toBe(204);
    expect((await user.client.get('/api/v1/me')).body.account).toMatchObject({ email: next, emailVerified: true });
    const notice = (await t.kernel.mailer.outbox(10)).find((m) => m.to === user.email && m.subject.includes('changed'));
    expect(notice?.text).toContain(next);
    expect((await new TestClient(t.app).post('/api/v1/sessions', { email: next, password: PASSWORD })).status).toBe(200);
    expect((await new TestClient(t.app).post('/api/v1/email-verification/confirm', { token })).status).toBe(400);
  });
});
