import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, encodeForm } from '../../../test/backlog-client';

/**
 * The web app calls `/api/v2` with its session cookie (issue 3 §4): the org is named in
 * `X-Toride-Org`, writes need the CSRF header like `/api/v1`, and cookie answers carry no CORS grant.
 */
describe('Backlog API v2 through the web session (issue 3 §4, W7.2, W7.7)', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let guest: TestUser;

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const call = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, headers: Record<string, string> = {}, body?: Record<string, string>) =>
    user.client.request(method, `/api/v2${path}`, body ? encodeForm(body) : undefined, { ...(body ? form : {}), ...headers });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Acme' });
    other = await signUpUser(t, { name: 'Olga Other', orgName: 'Other Corp' });
    guest = await addMember(t, admin, 'guest', { name: 'Gus Guest' });
  });
  afterAll(async () => t.close());

  it('reads with the cookie and the org header; the answer is the same as with the API key', async () => {
    const viaCookie = await call(admin, 'GET', '/users/myself', { 'x-toride-org': admin.orgId });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body).toMatchObject({ name: 'Ada Admin', roleType: 1, mailAddress: admin.email });
    const viaKey = await backlog(t, await apiKeyOf(admin), 'GET', '/users/myself');
    expect(viaCookie.body).toEqual(viaKey.body);
  });

  it('cookie answers are not readable cross-origin: no access-control-allow-origin; API-key answers keep it', async () => {
    const viaCookie = await call(admin, 'GET', '/space', { 'x-toride-org': admin.orgId, origin: 'https://evil.example' });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.headers['access-control-allow-origin']).toBeUndefined();
    expect(String(viaCookie.headers.vary)).toMatch(/cookie/i);
    const viaKey = await backlog(t, await apiKeyOf(admin), 'GET', '/space');
    expect(viaKey.headers['access-control-allow-origin']).toBe('*');
    // A cross-origin page may not even send the headers a cookie call needs.
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v2/projects',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf-token, x-toride-org' },
    });
    const allowed = String(preflight.headers['access-control-allow-headers']).toLowerCase();
    expect(allowed).not.toContain('x-csrf-token');
    expect(allowed).not.toContain('x-toride-org');
  });

  it('refuses cookie writes without or with a wrong CSRF header (403, code 5); with it, creates the project', async () => {
    const headers = { 'x-toride-org': admin.orgId };
    const missing = await call(admin, 'POST', '/projects', { ...headers, 'x-csrf-token': '' }, { name: 'Web', key: 'WEB' });
    expect(missing.status).toBe(403);
    expect(missing.body.errors[0].code).toBe(5);
    const wrong = await call(admin, 'POST', '/projects', { ...headers, 'x-csrf-token': 'not-the-token' }, { name: 'Web', key: 'WEB' });
    expect(wrong.status).toBe(403);
    const listed = await call(admin, 'GET', '/projects', headers);
    expect(listed.body.map((p: { projectKey: string }) => p.projectKey)).not.toContain('WEB');

    const created = await call(admin, 'POST', '/projects', headers, { name: 'Web', key: 'WEB' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ projectKey: 'WEB', name: 'Web' });
    expect(created.headers['access-control-allow-origin']).toBeUndefined();
    const audit = await admin.client.get(`/api/v1/orgs/${admin.orgId}/audit-events?action=project.created`);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain('web_session');
  });

  it('requires the org header (400, code 7) and answers another org exactly like a random id (W7.7)', async () => {
    const none = await call(admin, 'GET', '/projects');
    expect(none.status).toBe(400);
    expect(none.body.errors[0].code).toBe(7);
    const foreign = await call(admin, 'GET', '/projects', { 'x-toride-org': other.orgId });
    const random = await call(admin, 'GET', '/projects', { 'x-toride-org': 'org_00000000000000000000000000' });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(random.body);
    expect(foreign.body.errors[0].code).toBe(6);
  });

  it('keeps the caller’s role: a guest session may not list users (403, code 5)', async () => {
    const users = await call(guest, 'GET', '/users', { 'x-toride-org': admin.orgId });
    expect(users.status).toBe(403);
    expect(users.body.errors[0].code).toBe(5);
  });

  it('without a session or after sign-out: 401, code 11', async () => {
    const signedOut = await t.app.inject({ method: 'GET', url: '/api/v2/space', headers: { 'x-toride-org': admin.orgId, cookie: 'toride_session=garbage' } });
    expect(signedOut.statusCode).toBe(401);
    expect(JSON.parse(signedOut.body).errors[0].code).toBe(11);
  });

  it('an API key wins over the cookie: the key’s org is the space, the org header is ignored', async () => {
    const key = await apiKeyOf(other);
    const response = await call(admin, 'GET', '/users/myself', { 'x-toride-org': admin.orgId, 'backlog-api-key': key });
    expect(response.status).toBe(200);
    expect(response.body.name).toBe('Olga Other');
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });
});
