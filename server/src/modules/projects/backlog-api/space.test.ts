import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, enableTwoFactor, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

describe('Backlog API v2: auth, space, users (issue 3 §2)', () => {
  let t: TestApp;
  let admin: TestUser;
  let key: string;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Acme' });
    key = await apiKeyOf(admin);
  });
  afterAll(async () => t.close());

  it.each(['header', 'query', 'bearer'] as const)('authenticates a personal API key sent as %s (W7.2)', async (auth) => {
    const response = await backlog(t, key, 'GET', '/users/myself', undefined, auth);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Ada Admin', roleType: 1, lang: 'en', mailAddress: admin.email });
    expect(typeof response.body.id).toBe('number');
  });

  it('answers 401 with a JSON body, code 11 and WWW-Authenticate without or with a bad key', async () => {
    for (const bad of [null, 'trd_AAAAAAAA_notarealkeynotarealkey00', 'garbage']) {
      const response = await backlog(t, bad, 'GET', '/space');
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.body).toEqual({ errors: [{ message: 'Authentication failure.', code: 11, moreInfo: '' }] });
    }
  });

  it('serves the space of the key’s org with a stable key and the owner’s numeric id', async () => {
    const space = await backlog(t, key, 'GET', '/space');
    const me = await backlog(t, key, 'GET', '/users/myself');
    expect(space.status).toBe(200);
    expect(space.body).toMatchObject({ name: 'Acme', ownerId: me.body.id, lang: 'en', textFormattingRule: 'markdown' });
    expect(space.body.spaceKey).toMatch(/^t[0-9a-f]{12}$/);
    expect(space.body.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect((await backlog(t, key, 'GET', '/space')).body.spaceKey).toBe(space.body.spaceKey);
    expect(Object.keys(space.body).sort()).toEqual(['created', 'lang', 'name', 'ownerId', 'reportSendTime', 'spaceKey', 'textFormattingRule', 'timezone', 'updated']);
  });

  it('lists the org’s users with NormalRoleType: admin 1, member and guest 2; guests may not list', async () => {
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    const guest = await addMember(t, admin, 'guest', { name: 'Gus Guest' });
    const users = await backlog(t, key, 'GET', '/users');
    expect(users.status).toBe(200);
    const byName = new Map((users.body as { name: string; roleType: number }[]).map((u) => [u.name, u.roleType]));
    expect(byName.get('Ada Admin')).toBe(1);
    expect(byName.get('Mia Member')).toBe(2);
    expect(byName.get('Gus Guest')).toBe(2);
    const memberKey = await apiKeyOf(member);
    expect((await backlog(t, memberKey, 'GET', '/users')).status).toBe(200);
    const guestList = await backlog(t, await apiKeyOf(guest), 'GET', '/users');
    expect(guestList.status).toBe(403);
    expect(guestList.body.errors[0].code).toBe(5);
  });

  it('serves the fixed priorities and resolutions', async () => {
    expect((await backlog(t, key, 'GET', '/priorities')).body).toEqual([
      { id: 2, name: 'High' },
      { id: 3, name: 'Normal' },
      { id: 4, name: 'Low' },
    ]);
    const resolutions = await backlog(t, key, 'GET', '/resolutions');
    expect(resolutions.body.map((r: { id: number }) => r.id)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps /api/v2 out of the native API’s OpenAPI document and leaves /api/v1 errors in their own shape', async () => {
    const openapi = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(openapi.json().paths).filter((p) => p.startsWith('/api/v2'))).toEqual([]);
    const v1 = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(v1.json()).toMatchObject({ error: { code: 'auth.unauthenticated' } });
  });

  it('allows browsers: preflight without a key, CORS header on answers (no cookies are ever used)', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v2/issues/ABC-1',
      headers: { origin: 'https://tool.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'backlog-api-key' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Backlog-API-Key/);
    expect(String(preflight.headers['access-control-allow-methods'])).toMatch(/PATCH/);
    const answer = await backlog(t, key, 'GET', '/space');
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers unknown endpoints and git/pull-request endpoints with a Backlog-shaped 404 (code 6)', async () => {
    for (const path of ['/nothing/here', '/projects/ANY/git/repositories', '/projects/ANY/git/repositories/r/pullRequests/count', '/wikis/9']) {
      const response = await backlog(t, key, 'GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body.errors[0].code).toBe(6);
    }
  });

  it('answers 403 code 12 (RequiredMFAError) when the org requires 2FA and the key’s account has none', async () => {
    const strict = await signUpUser(t, { orgName: 'Strict' });
    const member = await addMember(t, strict, 'member');
    const memberKey = await apiKeyOf(member);
    await enableTwoFactor(t, strict);
    expect((await strict.client.patch(`/api/v1/orgs/${strict.orgId}`, { requireTwoFactor: true })).status).toBe(200);
    const response = await backlog(t, memberKey, 'GET', '/space');
    expect(response.status).toBe(403);
    expect(response.body.errors[0].code).toBe(12);
  });
});
