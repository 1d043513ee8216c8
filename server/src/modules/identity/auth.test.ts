import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../kernel/clock';
import { currentTotp } from '../../kernel/totp';
import { TestClient } from '../../test/client';
import { enableTwoFactor, PASSWORD, signUpUser, tokenFromMail, uniqueEmail } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('sign-up (W6.1)', () => {
  it('creates an account and an org it administers, signs in, and mails a verification link in the chosen language', async () => {
    const client = new TestClient(t.app);
    const email = uniqueEmail('ja');
    const response = await client.post('/api/v1/signup', { email: email.toUpperCase(), password: PASSWORD, name: '山田 花子', orgName: '山田商店', locale: 'ja' });
    expect(response.status).toBe(201);
    expect(response.body.account).toMatchObject({ email, name: '山田 花子', locale: 'ja', emailVerified: false, twoFactorEnabled: false });
    expect(response.body.orgs).toEqual([expect.objectContaining({ name: '山田商店', locale: 'ja', role: 'admin' })]);
    expect(client.cookie('toride_session')).toBeTruthy();
    expect(response.headers['set-cookie']).toEqual(expect.arrayContaining([expect.stringMatching(/^toride_session=.*HttpOnly.*SameSite=Lax/)]));
    const [mail] = (await t.kernel.mailer.outbox(50)).filter((m) => m.to === email);
    expect(mail?.subject).toContain('メールアドレスの確認');

    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.account.id).toBe(response.body.account.id);
    const audit = await t.kernel.audit.list({ orgId: response.body.orgs[0].id });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['account.signed_up', 'org.created']));
  });

  it('stores the password only as an argon2id hash (W9.1)', async () => {
    const user = await signUpUser(t);
    const row = await (t.identity.deps.db as any).selectFrom('accounts').select('password_hash').where('id', '=', user.accountId).executeTakeFirst();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('refuses a taken email, a short password and malformed input with stable codes', async () => {
    const user = await signUpUser(t);
    const client = new TestClient(t.app);
    const base = { password: PASSWORD, name: 'X', orgName: 'Y', locale: 'en' };
    expect((await client.post('/api/v1/signup', { ...base, email: user.email })).body.error.code).toBe('account.email_taken');
    const short = await client.post('/api/v1/signup', { ...base, email: uniqueEmail(), password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('password.too_short');
    const bad = await client.post('/api/v1/signup', { ...base, email: 'not-an-email', locale: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('request.invalid');
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['email', 'locale']));
    const notJson = await client.request('POST', '/api/v1/signup', '{oops', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(notJson.body)).not.toMatch(/at .*\.js|SyntaxError/);
  });
});

describe('email verification', () => {
  it('verifies once with the mailed link; a reused or forged token is refused', async () => {
    const user = await signUpUser(t, { verify: false });
    const token = await tokenFromMail(t, user.email, /verify-email\?token=([\w%-]+)/);
    expect((await user.client.post('/api/v1/email-verification/confirm', { token })).status).toBe(204);
    expect((await user.client.get('/api/v1/me')).body.account.emailVerified).toBe(true);
    const again = await user.client.post('/api/v1/email-verification/confirm', { token });
    expect(again.body.error.code).toBe('email_verification.invalid_token');
    expect((await user.client.post('/api/v1/email-verification/confirm', { token: 'x'.repeat(43) })).status).toBe(400);
  });
});

describe('sign-in, sessions and sign-out', () => {
  it('rotates the session at sign-in and ends it at sign-out', async () => {
    const user = await signUpUser(t);
    const before = user.client.cookie('toride_session');
    const signIn = await user.client.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body.status).toBe('signed_in');
    const after = user.client.cookie('toride_session');
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);

    const stale = new TestClient(t.app);
    stale.setCookie('toride_session', after!);
    stale.setCookie('toride_csrf', user.client.csrfToken!);
    expect((await user.client.delete('/api/v1/sessions/current')).status).toBe(204);
    expect((await stale.get('/api/v1/me')).status).toBe(401);
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const user = await signUpUser(t);
    const client = new TestClient(t.app);
    const wrong = await client.post('/api/v1/sessions', { email: user.email, password: 'wrong password!' });
    const unknown = await client.post('/api/v1/sessions', { email: uniqueEmail(), password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('auth.invalid_credentials');
  });

  it('locks an email out with growing back-off after 5 failures, then lets the right password in once it expires', async () => {
    const user = await signUpUser(t);
    const client = new TestClient(t.app);
    for (let i = 0; i < 5; i += 1) expect((await client.post('/api/v1/sessions', { email: user.email, password: 'nope nope nope' })).status).toBe(401);
    const locked = await client.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('auth.locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(MINUTE + 1000);
    const ok = await client.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    expect(ok.status).toBe(200);
    const audit = await t.kernel.audit.list({ orgId: null, action: 'auth.sign_in' });
    expect(audit.some((a) => a.outcome === 'denied' && a.actor.email === user.email)).toBe(true);
  });

  it('rejects cookie-authenticated writes without the CSRF token', async () => {
    const user = await signUpUser(t);
    const noToken = await user.client.request('PATCH', '/api/v1/me', { name: 'Mallory' }, { 'x-csrf-token': '' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('auth.csrf');
    const forged = await user.client.request('PATCH', '/api/v1/me', { name: 'Mallory' }, { 'x-csrf-token': 'forged' });
    expect(forged.status).toBe(403);
    expect((await user.client.get('/api/v1/me')).body.account.name).toBe('Ada Admin');
  });

  it('lists sessions and revokes another one', async () => {
    const user = await signUpUser(t);
    const laptop = new TestClient(t.app);
    await laptop.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    const list = await user.client.get('/api/v1/me/sessions');
    expect(list.body.items).toHaveLength(2);
    const other = list.body.items.find((s: { current: boolean }) => !s.current);
    expect((await user.client.delete(`/api/v1/me/sessions/${other.id}`)).status).toBe(204);
    expect((await laptop.get('/api/v1/me')).status).toBe(401);
    expect((await user.client.delete(`/api/v1/me/sessions/${other.id}`)).status).toBe(404);
    const phone = new TestClient(t.app);
    const tablet = new TestClient(t.app);
    await phone.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    await tablet.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    expect((await user.client.delete('/api/v1/me/sessions')).body).toEqual({ ended: 2 });
    expect((await phone.get('/api/v1/me')).status).toBe(401);
    expect((await tablet.get('/api/v1/me')).status).toBe(401);
    expect((await user.client.get('/api/v1/me')).status).toBe(200);
  });

  it('expires idle sessions after 14 days', async () => {
    const user = await signUpUser(t);
    t.clock.advance(14 * 24 * 60 * MINUTE + 1000);
    expect((await user.client.get('/api/v1/me')).status).toBe(401);
  });
});

describe('password change and reset (W8.1)', () => {
  it('changes the password with the current one; other sessions end, this one stays', async () => {
    const user = await signUpUser(t);
    const other = new TestClient(t.app);
    await other.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    const wrong = await user.client.post('/api/v1/me/password', { currentPassword: 'not it at all', newPassword: 'a brand new secret' });
    expect(wrong.status).toBe(401);
    expect((await user.client.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new secret' })).status).toBe(204);
    expect((await user.client.get('/api/v1/me')).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await new TestClient(t.app).post('/api/v1/sessions', { email: user.email, password: 'a brand new secret' })).status).toBe(200);
  });

  it('resets by a single-use emailed link valid for one hour, without revealing which emails exist', async () => {
    const user = await signUpUser(t);
    const anonymous = new TestClient(t.app);
    const known = await anonymous.post('/api/v1/password-resets', { email: user.email });
    const unknown = await anonymous.post('/api/v1/password-resets', { email: uniqueEmail() });
    expect(known.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const token = await tokenFromMail(t, user.email, /reset-password\?token=([\w%-]+)/);
    expect((await anonymous.post('/api/v1/password-resets/confirm', { token, password: 'recovered secret 1' })).status).toBe(204);
    expect((await user.client.get('/api/v1/me')).status).toBe(401);
    const reuse = await anonymous.post('/api/v1/password-resets/confirm', { token, password: 'recovered secret 2' });
    expect(reuse.body.error.code).toBe('password_reset.invalid_token');
    expect((await anonymous.post('/api/v1/sessions', { email: user.email, password: 'recovered secret 1' })).status).toBe(200);

    await anonymous.post('/api/v1/password-resets', { email: user.email });
    const late = await tokenFromMail(t, user.email, /reset-password\?token=([\w%-]+)/);
    t.clock.advance(60 * MINUTE + 1000);
    expect((await anonymous.post('/api/v1/password-resets/confirm', { token: late, password: 'too late secret' })).status).toBe(400);
  });
});

describe('two-factor authentication (W2.4)', () => {
  it('requires a TOTP code at sign-in once enabled, refuses replays, and accepts each recovery code once', async () => {
    const user = await signUpUser(t);
    const { secret, recoveryCodes } = await enableTwoFactor(t, user);
    expect(recoveryCodes).toHaveLength(10);
    const client = new TestClient(t.app);
    const first = await client.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    expect(first.body).toEqual({ status: 'two_factor_required', challengeId: expect.any(String) });
    expect(client.cookie('toride_session')).toBeUndefined();
    t.clock.advance(30_000);
    const code = currentTotp(secret, t.clock.now());
    const wrong = await client.post('/api/v1/sessions/two-factor', { challengeId: first.body.challengeId, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.body.error.code).toBe('auth.invalid_code');
    const ok = await client.post('/api/v1/sessions/two-factor', { challengeId: first.body.challengeId, code });
    expect(ok.body.status).toBe('signed_in');
    expect(client.cookie('toride_session')).toBeTruthy();

    const replay = await new TestClient(t.app).post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    expect((await client.post('/api/v1/sessions/two-factor', { challengeId: replay.body.challengeId, code })).body.error.code).toBe('auth.invalid_code');
    const recovery = await client.post('/api/v1/sessions/two-factor', { challengeId: replay.body.challengeId, recoveryCode: recoveryCodes[0] });
    expect(recovery.body.status).toBe('signed_in');
    const again = await new TestClient(t.app).post('/api/v1/sessions', { email: user.email, password: PASSWORD });
    expect((await client.post('/api/v1/sessions/two-factor', { challengeId: again.body.challengeId, recoveryCode: recoveryCodes[0] })).status).toBe(401);
  });

  it('keeps the TOTP seed encrypted at rest (W9.3)', async () => {
    const user = await signUpUser(t);
    const { secret } = await enableTwoFactor(t, user);
    const row = await (t.identity.deps.db as any).selectFrom('accounts').select('totp_secret').where('id', '=', user.accountId).executeTakeFirst();
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(row.totp_secret).not.toContain(secret);
  });

  it('disables 2FA only with password and code', async () => {
    const user = await signUpUser(t);
    const { secret } = await enableTwoFactor(t, user);
    t.clock.advance(30_000);
    expect((await user.client.post('/api/v1/me/two-factor/disable', { password: 'wrong password', code: currentTotp(secret, t.clock.now()) })).status).toBe(401);
    t.clock.advance(30_000);
    expect((await user.client.post('/api/v1/me/two-factor/disable', { password: PASSWORD, code: currentTotp(secret, t.clock.now()) })).status).toBe(204);
    expect((await user.client.get('/api/v1/me')).body.account.twoFactorEnabled).toBe(false);
  });

  it('regenerates recovery codes and, with the device lost, disables 2FA with a recovery code', async () => {
    const user = await signUpUser(t);
    const { secret, recoveryCodes } = await enableTwoFactor(t, user);
    expect((await user.client.post('/api/v1/me/two-factor/recovery-codes', { password: PASSWORD })).status).toBe(400);
    t.clock.advance(30_000);
    const fresh = await user.client.post('/api/v1/me/two-factor/recovery-codes', { password: PASSWORD, code: currentTotp(secret, t.clock.now()) });
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    expect((await user.client.post('/api/v1/me/two-factor/disable', { password: PASSWORD, recoveryCode: recoveryCodes[0] })).status).toBe(401);
    expect((await user.client.post('/api/v1/me/two-factor/disable', { password: PASSWORD, recoveryCode: fresh.body.recoveryCodes[0] })).status).toBe(204);
  });

  it('lets an org require 2FA: members without it are turned away from the org until they enrol', async () => {
    const admin = await signUpUser(t);
    const refuse = await admin.client.patch(`/api/v1/orgs/${admin.orgId}`, { requireTwoFactor: true });
    expect(refuse.body.error.code).toBe('org.enable_two_factor_first');
    await enableTwoFactor(t, admin);
    expect((await admin.client.patch(`/api/v1/orgs/${admin.orgId}`, { requireTwoFactor: true })).body.requireTwoFactor).toBe(true);
    const { addMember } = await import('../../test/factories');
    const member = await addMember(t, admin, 'member');
    const blocked = await member.client.get(`/api/v1/orgs/${admin.orgId}/members`);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('auth.two_factor_required');
    t.clock.advance(30_000);
    await enableTwoFactor(t, member);
    expect((await member.client.get(`/api/v1/orgs/${admin.orgId}/members`)).status).toBe(200);
    const leaver = await addMember(t, admin, 'guest');
    expect((await leaver.client.delete(`/api/v1/orgs/${admin.orgId}/members/${leaver.accountId}`)).status).toBe(204);
  });
});

describe('rate limits', () => {
  it('limits sign-in attempts per IP across accounts (counters live in the database)', async () => {
    const limited = await buildTestApp({ config: { rateLimits: 'on' } });
    try {
      const client = new TestClient(limited.app);
      client.ip = '203.0.113.9';
      let last = 0;
      for (let i = 0; i < 61; i += 1) last = (await client.post('/api/v1/sessions', { email: `x${i}@example.test`, password: 'whatever it is' })).status;
      expect(last).toBe(429);
      const other = new TestClient(limited.app);
      other.ip = '203.0.113.10';
      expect((await other.post('/api/v1/sessions', { email: 'y@example.test', password: 'whatever it is' })).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
