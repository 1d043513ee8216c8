import { randomBytes } from 'node:crypto';
import { currentTotp } from '../kernel/totp';
import { TestClient } from './client';
import type { TestApp } from './harness';

/** Factories build state through the real API (sign-up, invitation mail, acceptance), never behind it. */
export const PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomBytes(4).toString('hex')}@example.test`;

export interface TestUser {
  client: TestClient;
  accountId: string;
  email: string;
  orgId: string;
}

export async function signUpUser(t: TestApp, overrides: { email?: string; name?: string; orgName?: string; locale?: 'ja' | 'en'; verify?: boolean } = {}): Promise<TestUser> {
  const client = new TestClient(t.app);
  const email = overrides.email ?? uniqueEmail('admin');
  const response = await client.post('/api/v1/signup', {
    email,
    password: PASSWORD,
    name: overrides.name ?? 'Ada Admin',
    orgName: overrides.orgName ?? 'Acme',
    locale: overrides.locale ?? 'en',
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  const user = { client, accountId: response.body.account.id as string, email, orgId: response.body.orgs[0].id as string };
  if (overrides.verify !== false) await verifyEmailOf(t, user);
  return user;
}

/** The newest mail to `to` whose text matches `pattern`; returns the first capture group. */
export async function tokenFromMail(t: TestApp, to: string, pattern: RegExp): Promise<string> {
  const items = await t.kernel.mailer.outbox(200);
  for (const item of items) {
    const match = item.to === to && item.text ? pattern.exec(item.text) : null;
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  throw new Error(`no mail to ${to} matching ${pattern}`);
}

export async function verifyEmailOf(t: TestApp, user: Pick<TestUser, 'client' | 'email'>): Promise<void> {
  const token = await tokenFromMail(t, user.email, /verify-email\?token=([\w%-]+)/);
  const response = await user.client.post('/api/v1/email-verification/confirm', { token });
  if (response.status !== 204) throw new Error(`verification failed: ${response.status}`);
}

export async function invite(t: TestApp, inviter: TestUser, role: 'admin' | 'member' | 'guest', email = uniqueEmail(role)) {
  const response = await inviter.client.post(`/api/v1/orgs/${inviter.orgId}/invitations`, { email, role });
  if (response.status !== 201) throw new Error(`invitation failed: ${response.status} ${JSON.stringify(response.body)}`);
  const token = await tokenFromMail(t, email, /invite\/([\w%-]+)/);
  return { email, token, invitationId: response.body.id as string };
}

/** Invites a new person and accepts as them, creating their account; optionally grants the invite permission. */
export async function addMember(t: TestApp, admin: TestUser, role: 'admin' | 'member' | 'guest', options: { canInvite?: boolean; name?: string } = {}): Promise<TestUser> {
  const { email, token } = await invite(t, admin, role);
  const client = new TestClient(t.app);
  const accepted = await client.post(`/api/v1/invitations/${token}/accept`, { name: options.name ?? `${role} person`, password: PASSWORD, locale: 'en' });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const accountId = accepted.body.me.account.id as string;
  if (options.canInvite) {
    const granted = await admin.client.patch(`/api/v1/orgs/${admin.orgId}/members/${accountId}`, { canInvite: true });
    if (granted.status !== 200) throw new Error(`grant failed: ${granted.status}`);
  }
  return { client, accountId, email, orgId: admin.orgId };
}

/** Turns on TOTP for a signed-in user and returns the secret (codes come from the test clock). */
export async function enableTwoFactor(t: TestApp, user: TestUser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await user.client.post('/api/v1/me/two-factor/setup');
  const secret = setup.body.secret as string;
  const enabled = await user.client.post('/api/v1/me/two-factor/enable', { code: currentTotp(secret, t.clock.now()) });
  if (enabled.status !== 200) throw new Error(`2FA enable failed: ${enabled.status} ${JSON.stringify(enabled.body)}`);
  return { secret, recoveryCodes: enabled.body.recoveryCodes as string[] };
}
