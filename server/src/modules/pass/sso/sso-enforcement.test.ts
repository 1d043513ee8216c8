import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../../kernel/totp';
import { TestClient, type TestResponse } from '../../../test/client';
import { enableTwoFactor, invite, PASSWORD, signUpUser, tokenFromMail, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from '../domains/dns-test-server';
import { loginAtProvider, startTestOidcProvider } from './oidc-test-provider';
import { memberOn, orgWithDomain, pathOf } from './sso-test-support';

/**
 * W8.3 / issue 13 §1 §5: with SSO enforced, NO path that can start a session or set a password lets a
 * password through for an address on the enforcing org's verified domain — one guard, walked row by row
 * (and each row again with enforcement off, so a refusal is the guard's and nothing else's). Break-glass
 * admins still sign in; their alert comes only after the second factor.
 */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
let op: Awaited<ReturnType<typeof startTestOidcProvider>>;
beforeAll(async () => {
  dns = await startTestDnsServer();
  op = await startTestOidcProvider();
  t = await buildTestApp({ config: { dnsServers: dns.address, outboundPrivateTargets: 'on' } });
});
afterAll(async () => {
  await t?.close();
  await op?.close();
  await dns?.close();
});

const PUBLIC = 'http://127.0.0.1:3000';
const SESSION_COOKIE = 'toride_session'; // identity's cookie name (session-cookies.ts)
const REDIRECT = 'https://app.example.test/callback';
const anonymous = () => new TestClient(t.app);
const sessionCookieSet = (r: TestResponse) => String(r.headers['set-cookie'] ?? '').includes(`${SESSION_COOKIE}=`) && !String(r.headers['set-cookie']).includes(`${SESSION_COOKIE}=;`);

async function oidcOrg() {
  const { admin, domain } = await orgWithDomain(t, dns);
  const base = `/api/v1/orgs/${admin.orgId}/pass/sso`;
  const created = await admin.client.post(`${base}/connections`, { protocol: 'oidc', name: 'Corp', issuer: op.issuer, clientId: `toride-${domain}`, clientSecret: 'a-long-client-secret-for-tests' });
  expect(created.status).toBe(201);
  op.configure({ clientId: `toride-${domain}`, clientSecret: 'a-long-client-secret-for-tests', redirectUris: [created.body.oidc.redirectUri] });
  const connId = created.body.id as string;
  const started = await admin.client.post(`${base}/connections/${connId}/test`);
  await admin.client.get(pathOf(await loginAtProvider(started.body.url, `tester@${domain}`, PUBLIC)));
  const { secret } = await enableTwoFactor(t, admin);
  const enforce = async (enforced: boolean) => expect((await admin.client.put(`${base}/enforcement`, { enforced })).status).toBe(200);
  return { admin, domain, connId, secret, enforce };
}

/** Signs `email` in through the org's IdP in a fresh browser: an SSO session. */
async function ssoBrowser(connId: string, email: string) {
  const browser = anonymous();
  const started = await browser.get(`/sso/oidc/${connId}/login`);
  const done = await browser.get(pathOf(await loginAtProvider(String(started.headers.location), email, PUBLIC)));
  expect(done.headers.location).toBe('/');
  return browser;
}

const totp = (secret: string) => {
  t.clock.advance(30_000); // a fresh TOTP step: codes are single use
  return currentTotp(secret, t.clock.now());
};

interface Row {
  path: string;
  run: () => Promise<TestResponse>;
  /** With enforcement off: the status that proves the row reaches the guard and not another refusal. */
  off?: number;
  /** With enforcement on, beyond the 403: what must not have happened. */
  check?: (r: TestResponse) => Promise<void>;
}

describe('SSO enforcement on every password path (W8.3, issue 13 §1)', () => {
  it('refuses each path with 403 auth.sso_required, and lets each through once enforcement is off', async () => {
    const org = await oidcOrg();
    const on = (local: string) => `${local}@${org.domain}`;
    const member = await memberOn(t, org.admin, org.domain);
    const changer = await memberOn(t, org.admin, org.domain);
    const twoFactorMember = await memberOn(t, org.admin, org.domain);
    const { secret: memberSecret } = await enableTwoFactor(t, twoFactorMember);
    const other: TestUser = await signUpUser(t); // another org, off the domain
    const mover = await signUpUser(t);

    // Links and half-finished sign-ins from before enforcement must not carry a password past it.
    const resetter = await memberOn(t, org.admin, org.domain);
    expect((await anonymous().post('/api/v1/password-resets', { email: resetter.email })).status).toBe(202);
    const resetToken = await tokenFromMail(t, resetter.email, /reset-password\?token=([\w%-]+)/);
    expect((await mover.client.post('/api/v1/me/email', { email: on('mover'), password: PASSWORD })).status).toBe(202);
    const moveToken = await tokenFromMail(t, on('mover'), /verify-email\?token=([\w%-]+)/);
    const challenge = await anonymous().post('/api/v1/sessions', { email: twoFactorMember.email, password: PASSWORD });
    expect(challenge.body.status).toBe('two_factor_required');
    const ownInvite = await invite(t, org.admin, 'member', on('erin'));
    const foreignInvite = await invite(t, other, 'member', on('frank'));
    const oauthApp = await org.admin.client.post(`/api/v1/orgs/${org.admin.orgId}/projects/oauth-apps`, { name: 'Timesheet', redirectUri: REDIRECT });
    expect(oauthApp.status).toBe(201);
    const consentUrl = `/OAuth2AccessRequest.action?response_type=code&client_id=${oauthApp.body.clientId as string}&redirect_uri=${encodeURIComponent(REDIRECT)}`;
    expect((await org.admin.client.request('PUT', `/api/v1/orgs/${org.admin.orgId}/projects/classic`, { userLimit: 5 })).status).toBe(200);
    const { spaceKey } = (await org.admin.client.get(`/api/v1/orgs/${org.admin.orgId}/projects/classic`)).body as { spaceKey: string };

    const mailsTo = async (to: string, pattern: RegExp) => (await t.kernel.mailer.outbox(500)).filter((m) => m.to === to && pattern.test(m.text ?? '')).length;
    const rows: Row[] = [
      { path: 'POST /sessions (correct password)', run: () => anonymous().post('/api/v1/sessions', { email: member.email, password: PASSWORD }), off: 200 },
      {
        path: 'POST /sessions/two-factor (password step before enforcement)',
        run: () => anonymous().post('/api/v1/sessions/two-factor', { challengeId: challenge.body.challengeId, code: totp(memberSecret) }),
      },
      {
        path: 'POST /signup',
        run: () => anonymous().post('/api/v1/signup', { email: on('eve'), password: PASSWORD, name: 'Eve', orgName: 'Eve Co', locale: 'en' }),
        off: 201,
        check: async () => expect((await anonymous().post('/api/v1/sessions', { email: on('eve'), password: PASSWORD })).body.error.code).toBe('auth.invalid_credentials'),
      },
      {
        path: 'invitation accepted with a new password (the enforcing org)',
        run: () => anonymous().post(`/api/v1/invitations/${ownInvite.token}/accept`, { name: 'Erin', password: PASSWORD, locale: 'en' }),
        off: 200,
        check: async () => expect((await anonymous().get(`/api/v1/invitations/${ownInvite.token}`)).status).toBe(200), // still open
      },
      {
        path: 'invitation accepted with a new password (another org)',
        run: () => anonymous().post(`/api/v1/invitations/${foreignInvite.token}/accept`, { name: 'Frank', password: PASSWORD, locale: 'en' }),
        off: 200,
      },
      {
        path: 'password reset link used after enforcement started',
        run: () => anonymous().post('/api/v1/password-resets/confirm', { token: resetToken, password: 'a brand new password' }),
        off: 204,
      },
      { path: 'POST /me/password (password session from before)', run: () => changer.client.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'another long password' }), off: 204 },
      { path: 'POST /me/email to an address on the domain', run: () => other.client.post('/api/v1/me/email', { email: on('other'), password: PASSWORD }), off: 202 },
      { path: 'email change link confirmed after enforcement started', run: () => anonymous().post('/api/v1/email-verification/confirm', { token: moveToken }), off: 204 },
      {
        path: 'OAuth consent page (password session from before)',
        run: () => member.client.get(consentUrl),
        off: 200,
        check: async (r) => expect(String(r.body)).toContain('single sign-on'),
      },
    ];

    await org.enforce(true);
    for (const row of rows) {
      const r = await row.run();
      expect({ path: row.path, status: r.status }).toEqual({ path: row.path, status: 403 });
      if (typeof r.body === 'object') expect({ path: row.path, code: r.body.error.code }).toEqual({ path: row.path, code: 'auth.sso_required' });
      expect({ path: row.path, session: sessionCookieSet(r) }).toEqual({ path: row.path, session: false });
      await row.check?.(r);
    }
    // Issue 13 §4: until the password is right, an enforced address answers like any wrong one.
    const wrongEnforced = await anonymous().post('/api/v1/sessions', { email: member.email, password: 'not the password at all' });
    const unknownOnDomain = await anonymous().post('/api/v1/sessions', { email: on('nobody'), password: PASSWORD });
    expect(wrongEnforced.status).toBe(401);
    expect(wrongEnforced.body).toEqual(unknownOnDomain.body);
    // A reset asked for now mails no link, only a pointer to SSO; the answer is the usual one.
    const links = await mailsTo(member.email, /reset-password\?token=/);
    expect((await anonymous().post('/api/v1/password-resets', { email: member.email })).status).toBe(202);
    expect(await mailsTo(member.email, /reset-password\?token=/)).toBe(links);
    expect(await mailsTo(member.email, /requires single sign-on/)).toBe(1);
    // Classic spaces: the space's own sign-in never knows platform accounts, so it is no way around.
    const classic = await anonymous().post(`/api/v1/classic/${spaceKey}/sign-in`, { userId: member.email, password: PASSWORD });
    expect(classic.status).toBe(401);
    expect(classic.body.error.code).toBe('classic.invalid_credentials');
    // Every refusal is in the enforcing org's audit log, with its path.
    const refused = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'sso.password_refused' });
    expect(new Set(refused.map((e) => e.details?.path))).toEqual(new Set(['sign_up', 'invitation', 'password_reset', 'password_change', 'email_change', 'oauth_consent']));
    const signIns = await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'auth.sign_in' });
    expect(signIns.filter((e) => e.outcome === 'denied').map((e) => e.details?.path).sort()).toEqual(['second_factor', 'sign_in']);

    // SSO itself, and addresses off the domain, are untouched.
    const viaSso = await ssoBrowser(org.connId, member.email);
    expect((await viaSso.get(consentUrl)).status).toBe(200);
    expect((await anonymous().post('/api/v1/sessions', { email: other.email, password: PASSWORD })).status).toBe(200);

    await org.enforce(false);
    for (const row of rows.filter((r) => r.off !== undefined)) {
      const r = await row.run();
      expect({ path: row.path, status: r.status }).toEqual({ path: row.path, status: row.off });
    }
  }, 120_000); // a dozen accounts and two passes over the table: PostgreSQL on a loaded machine needs the room
});

describe('break-glass admins under enforcement (W8.3, issue 13 §5)', () => {
  it('sign in with password and second factor; the attempt is recorded, the alert only follows a completed second factor', async () => {
    const org = await oidcOrg();
    const otherAdmin = await memberOn(t, org.admin, org.domain, 'admin');
    await org.enforce(true);
    const alerts = () => t.kernel.audit.list({ orgId: org.admin.orgId, action: 'sso.break_glass.sign_in' });
    const alertMails = async () => (await t.kernel.mailer.outbox(500)).filter((m) => m.to === otherAdmin.email && /break-glass/.test(m.subject));

    const first = await anonymous().post('/api/v1/sessions', { email: org.admin.email, password: PASSWORD });
    expect(first.body.status).toBe('two_factor_required');
    expect(await t.kernel.audit.list({ orgId: org.admin.orgId, action: 'sso.break_glass.attempt' })).toHaveLength(1);
    const wrong = await anonymous().post('/api/v1/sessions/two-factor', { challengeId: first.body.challengeId, code: '000000' });
    expect(wrong.body.error.code).toBe('auth.invalid_code');
    expect(await alerts()).toHaveLength(0);
    expect(await alertMails()).toHaveLength(0);

    const browser = anonymous();
    const done = await browser.post('/api/v1/sessions/two-factor', { challengeId: first.body.challengeId, code: totp(org.secret) });
    expect(done.body.status).toBe('signed_in');
    expect(await alerts()).toHaveLength(1);
    expect(await alertMails()).toHaveLength(1);
    expect((await t.kernel.mailer.outbox(500)).some((m) => m.to === org.admin.email && /break-glass/.test(m.subject))).toBe(false);

    // The break-glass admin keeps the password: reset links still come, and the password can change.
    expect((await anonymous().post('/api/v1/password-resets', { email: org.admin.email })).status).toBe(202);
    await tokenFromMail(t, org.admin.email, /reset-password\?token=([\w%-]+)/);
    const change = await browser.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'another long password' });
    expect(change.status).toBe(204);
    // An admin without a second factor is no break-glass admin.
    const refused = await anonymous().post('/api/v1/sessions', { email: otherAdmin.email, password: PASSWORD });
    expect(refused.body.error.code).toBe('auth.sso_required');
  });
});
