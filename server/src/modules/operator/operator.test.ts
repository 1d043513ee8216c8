import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../kernel/totp';
import { TestClient } from '../../test/client';
import { addMember, signUpUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

let t: TestApp;
let totpSecret = '';
const OPERATOR = { email: 'ops@toride.test', name: 'Olga Ops', password: 'operator password 1' };

beforeAll(async () => {
  t = await buildTestApp();
  totpSecret = (await t.operator.createOperator(OPERATOR)).totpSecret;
});
afterAll(async () => {
  await t.close();
});

async function signInOperator(): Promise<TestClient> {
  t.clock.advance(30_000);
  const client = new TestClient(t.app);
  const response = await client.post('/api/v1/operator/sessions', { email: OPERATOR.email, password: OPERATOR.password, code: currentTotp(totpSecret, t.clock.now()) });
  expect(response.status).toBe(200);
  client.setCookie('toride_csrf', response.body.csrfToken);
  return client;
}

describe('operators (W2.1, W18.1)', () => {
  it('refuse a common or name-built password like every account (issue 15 §7)', async () => {
    for (const password of ['password123456', 'olgaops20242024']) {
      const refused = await t.operator.createOperator({ email: 'ops2@toride.test', name: 'Olga Ops', password }).catch((error: { code?: string }) => error);
      expect(refused).toMatchObject({ code: 'auth.weak_password' });
    }
  });

  it('always need the TOTP code; a wrong or replayed code is refused', async () => {
    const client = new TestClient(t.app);
    t.clock.advance(30_000);
    const code = currentTotp(totpSecret, t.clock.now());
    const wrong = await client.post('/api/v1/operator/sessions', { email: OPERATOR.email, password: OPERATOR.password, code: code === '123456' ? '654321' : '123456' });
    expect(wrong.status).toBe(401);
    expect((await client.post('/api/v1/operator/sessions', { email: OPERATOR.email, password: OPERATOR.password })).status).toBe(400);
    expect((await client.post('/api/v1/operator/sessions', { email: OPERATOR.email, password: OPERATOR.password, code })).status).toBe(200);
    expect((await new TestClient(t.app).post('/api/v1/operator/sessions', { email: OPERATOR.email, password: OPERATOR.password, code })).status).toBe(401);
  });

  it('see organizations as metadata only — no member names or emails — and every read is audited', async () => {
    const admin = await signUpUser(t, { orgName: 'Initech', name: 'Peter Gibbons' });
    await addMember(t, admin, 'member', { name: 'Milton Waddams' });
    await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Red stapler team' });
    const ops = await signInOperator();
    const response = await ops.get('/api/v1/operator/orgs');
    expect(response.status).toBe(200);
    const org = response.body.items.find((o: { id: string }) => o.id === admin.orgId);
    expect(org).toMatchObject({ name: 'Initech', planState: 'active', memberCount: 2 });
    expect(org.stores).toEqual([
      { module: 'identity', region: 'us-west', kinds: [{ kind: 'members', rows: 2 }, { kind: 'teams', rows: 1 }] },
      { module: 'audit', region: 'ap-northeast', kinds: [{ kind: 'audit_events', rows: expect.any(Number) }] },
    ]);
    const text = JSON.stringify(response.body);
    for (const secret of ['Peter', 'Milton', admin.email, 'Red stapler']) expect(text).not.toContain(secret);
    const audit = await t.kernel.audit.list({ orgId: null, action: 'operator.orgs.listed' });
    expect(audit[0]?.actor.type).toBe('operator');

    const stores = await ops.get('/api/v1/operator/stores');
    expect(stores.body.items.map((s: { module: string }) => s.module).sort()).toEqual(['audit', 'identity', 'lifecycle', 'operator', 'pass', 'platform']);
    expect(stores.body.items.every((s: { bytes: number }) => s.bytes > 0)).toBe(true);
  });

  it('see the mail outbox as metadata only: recipient domain, kind, status, time — never an org mail body (W2.1, issue 16 §5)', async () => {
    const admin = await signUpUser(t, { orgName: 'Secretive Corp' });
    const member = await addMember(t, admin, 'member');
    // An issue notification as projects sends it (kernel mailer, no SMTP: the body is kept for the local CLI).
    await t.kernel.mailer.send({ orgId: admin.orgId, kind: 'projects.notification', to: member.email, subject: '[MERGER-7] Acquire Initech quietly', text: 'Ada commented: the price is 42 million.' });
    const ops = await signInOperator();
    const outbox = await ops.get('/api/v1/operator/outbox?limit=5');
    expect(outbox.status).toBe(200);
    const [latest] = outbox.body.items;
    expect(Object.keys(latest).sort()).toEqual(['createdAt', 'id', 'kind', 'recipientDomain', 'status']);
    expect(latest).toMatchObject({ recipientDomain: 'example.test', kind: 'projects.notification', status: 'stored' });
    expect(outbox.body.items.map((i: { kind: string }) => i.kind)).toContain('invitation');
    const raw = JSON.stringify(outbox.body);
    for (const secret of ['MERGER', 'Initech', '42 million', 'Secretive', member.email, admin.email, 'invite/', 'verify-email']) expect(raw).not.toContain(secret);
    // The body is still in the outbox (a local install reads it with `toride mail outbox`), just not here.
    expect((await t.kernel.mailer.outbox(5))[0]?.text).toContain('42 million');
    expect((await ops.get('/api/v1/operator/outbox?limit=9999')).status).toBe(400);
    expect((await new TestClient(t.app).get('/api/v1/operator/outbox')).status).toBe(401);
    expect((await admin.client.get('/api/v1/operator/outbox')).status).toBe(401);
  });

  it('are separate from org accounts: neither credential opens the other side', async () => {
    const user = await signUpUser(t);
    expect((await user.client.get('/api/v1/operator/orgs')).status).toBe(401);
    const ops = await signInOperator();
    expect((await ops.get('/api/v1/me')).status).toBe(401);
    expect((await ops.get(`/api/v1/orgs/${user.orgId}`)).status).toBe(401);
    expect((await new TestClient(t.app).get('/api/v1/operator/orgs')).status).toBe(401);
  });

  it('sign out with the CSRF token', async () => {
    const ops = await signInOperator();
    expect((await ops.request('DELETE', '/api/v1/operator/sessions/current', undefined, { 'x-csrf-token': 'nope' })).status).toBe(403);
    expect((await ops.delete('/api/v1/operator/sessions/current')).status).toBe(204);
    expect((await ops.get('/api/v1/operator/me')).status).toBe(401);
  });
});
