import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../test/client';
import { invite, PASSWORD, signUpUser, tokenFromMail, uniqueEmail } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

// Issue 15 §7 (W9.1): NIST 800-63B style — common and context-built passwords are refused on every
// path that sets one, with the stable code `auth.weak_password`; long passphrases pass, no composition rules.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const weak = (response: { status: number; body: { error?: { code: string } } }) => [response.status, response.body.error?.code];

describe('password strength (issue 15 §7, W9.1)', () => {
  it('sign-up refuses a common password, the email local part, the org or product name and a common word', async () => {
    const client = new TestClient(t.app);
    const base = { name: 'Aiko Tanaka', orgName: 'Globex Trading', locale: 'en' };
    const email = `aiko.tanaka@${Date.now().toString(36)}.example.test`;
    for (const password of ['password123', 'aiko.tanaka-1', 'aikotanaka99', 'globextrading', 'Globex Trading 1', 'toride2026', 'sunshine2020', 'qwertyuiop']) {
      expect(weak(await client.post('/api/v1/signup', { ...base, email, password })), password).toEqual([400, 'auth.weak_password']);
    }
    const refused = await client.post('/api/v1/signup', { ...base, email, password: 'password123' });
    expect(refused.body.error.message).toMatch(/too easy to guess/);
    expect((await client.post('/api/v1/signup', { ...base, email, password: 'lantern orbit velvet marmalade' })).status).toBe(201);
  });

  it('the test factories’ PASSWORD and an ordinary long passphrase pass (no composition rules)', async () => {
    const client = new TestClient(t.app);
    const response = await client.post('/api/v1/signup', { email: uniqueEmail(), password: PASSWORD, name: 'N', orgName: 'O', locale: 'en' });
    expect(response.status).toBe(201);
  });

  it('password change refuses a weak new password and keeps the old one', async () => {
    const user = await signUpUser(t, { name: 'Rin Kato' });
    const refused = await user.client.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'rinkato2024' });
    expect(weak(refused)).toEqual([400, 'auth.weak_password']);
    expect((await new TestClient(t.app).post('/api/v1/sessions', { email: user.email, password: PASSWORD })).status).toBe(200);
    expect((await user.client.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'quiet harbor under paper kites' })).status).toBe(204);
  });

  it('a reset link refuses a weak password and stays usable for a strong one', async () => {
    const user = await signUpUser(t);
    const anonymous = new TestClient(t.app);
    await anonymous.post('/api/v1/password-resets', { email: user.email });
    const token = await tokenFromMail(t, user.email, /reset-password\?token=([\w%-]+)/);
    expect(weak(await anonymous.post('/api/v1/password-resets/confirm', { token, password: 'iloveyou123' }))).toEqual([400, 'auth.weak_password']);
    expect((await anonymous.post('/api/v1/password-resets/confirm', { token, password: 'seventeen amber lighthouses' })).status).toBe(204);
  });

  it('accepting an invitation with a new account refuses the org name as a password', async () => {
    const admin = await signUpUser(t, { orgName: 'Initech Systems' });
    const { token } = await invite(t, admin, 'member');
    const visitor = new TestClient(t.app);
    expect(weak(await visitor.post(`/api/v1/invitations/${token}/accept`, { name: 'Bo Member', password: 'initechsystems' }))).toEqual([400, 'auth.weak_password']);
    expect((await visitor.post(`/api/v1/invitations/${token}/accept`, { name: 'Bo Member', password: 'granite pelican symphony' })).status).toBe(200);
  });
});
