import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../../kernel/clock';
import { hashToken } from '../../../kernel/crypto';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { purgeProjectsOrganization } from '../projects.purge';
import { apiKeyOf, backlog, encodeForm, type Form } from '../../../test/backlog-client';
import { TestClient } from '../../../test/client';
import { signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';

/**
 * W6.6 / W7.3 / W8.2: classic users sign in to their space only — a session cookie and personal API
 * keys that open `/api/v2` of that one space, never `/api/v1` nor another space (W7.7).
 */
describe('classic users: sessions and API keys for their space only', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminKey: string;
  let spaceKey: string;
  let other: TestUser;
  let otherKey: string;
  let otherSpaceKey: string;
  const NEW_PASSWORD = 'a long new passphrase';

  /** Creates a classic user through the Backlog API, reads the mailed password and signs in (first sign-in changes it). */
  async function classicUser(userId: string, roleType: number, key = adminKey, space = spaceKey) {
    const created = await backlog(t, key, 'POST', '/users', { userId, password: 'unused', name: `User ${userId}`, mailAddress: `${userId}@example.test`, roleType });
    expect(created.status).toBe(201);
    const mail = (await t.kernel.mailer.outbox(200)).find((m) => m.to === `${userId}@example.test`);
    const initial = /Initial password: (\S+)/.exec(mail?.text ?? '')?.[1] ?? '';
    // The mail names the space's own sign-in page in the web app.
    expect(mail?.text).toContain(`Sign in: http://127.0.0.1:3000/classic/${space}/sign-in`);
    const client = new TestClient(t.app);
    const signIn = await client.post(`/api/v1/classic/${space}/sign-in`, { userId, password: initial, newPassword: NEW_PASSWORD });
    expect(signIn.status).toBe(200);
    return { client, id: created.body.id as number, csrf: signIn.body.csrfToken as string, space };
  }
  type Classic = Awaited<ReturnType<typeof classicUser>>;
  const v2 = (u: Classic, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, form?: Form, headers: Record<string, string> = {}) =>
    u.client.request(method, `/api/v2${path}`, form ? encodeForm(form) : undefined, {
      'x-toride-space': u.space,
      'x-csrf-token': u.csrf,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...headers,
    });
  const self = (u: Classic, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, space = u.space) =>
    u.client.request(method, `/api/v1/classic/${space}${path}`, body, { 'x-csrf-token': u.csrf });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Classic Co' });
    adminKey = await apiKeyOf(admin);
    expect((await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/classic`, { userLimit: 6 })).status).toBe(200);
    spaceKey = (await backlog(t, adminKey, 'GET', '/space')).body.spaceKey;
    other = await signUpUser(t, { name: 'Olga Other', orgName: 'Other Co' });
    otherKey = await apiKeyOf(other);
    expect((await other.client.request('PUT', `/api/v1/orgs/${other.orgId}/projects/classic`, { userLimit: 5 })).status).toBe(200);
    otherSpaceKey = (await backlog(t, otherKey, 'GET', '/space')).body.spaceKey;
    expect((await backlog(t, adminKey, 'POST', '/projects', { name: 'Alpha', key: 'ALPHA' })).status).toBe(201);
    expect((await backlog(t, otherKey, 'POST', '/projects', { name: 'Beta', key: 'BETA' })).status).toBe(201);
  });
  afterAll(async () => t.close());

  it('the session opens /api/v2 of its space (header + CSRF on writes) and acts there as the classic user', async () => {
    const nora = await classicUser('nora', 2);
    expect(nora.client.cookie('toride_classic_session')).toBeTruthy();
    const me = await v2(nora, 'GET', '/users/myself');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: nora.id, userId: 'nora', name: 'User nora', roleType: 2, mailAddress: 'nora@example.test' });
    expect((await self(nora, 'GET', '/session')).body).toMatchObject({ userId: 'nora', roleType: 2, spaceKey, spaceName: 'Classic Co' });

    // An admin adds the classic user to a project by their space-user id; they then create an issue, comment, edit the wiki.
    expect((await backlog(t, adminKey, 'POST', '/projects/ALPHA/users', { userId: nora.id })).status).toBe(200);
    const projectId = (await v2(nora, 'GET', '/projects/ALPHA')).body.id as number;
    const issueTypeId = (await v2(nora, 'GET', '/projects/ALPHA/issueTypes')).body[0].id as number;
    const issue = await v2(nora, 'POST', '/issues', { projectId, summary: 'From a classic user', issueTypeId, priorityId: 3 });
    expect(issue.status).toBe(201);
    expect(issue.body.createdUser).toMatchObject({ id: nora.id, userId: 'nora', name: 'User nora', roleType: 2 });
    const comment = await v2(nora, 'POST', `/issues/${issue.body.issueKey}/comments`, { content: 'noted' });
    expect(comment.status).toBe(201);
    expect(comment.body.createdUser).toMatchObject({ id: nora.id, userId: 'nora' });
    const wiki = await v2(nora, 'POST', '/wikis', { projectId, name: 'Notes', content: 'x' });
    expect(wiki.status).toBe(201);
    expect(wiki.body.createdUser).toMatchObject({ id: nora.id, userId: 'nora' });
    const edited = await backlog(t, adminKey, 'PATCH', `/issues/${issue.body.issueKey}`, { summary: 'Edited by the admin' });
    expect(edited.body.createdUser.id).toBe(nora.id);
    expect(edited.body.updatedUser.name).toBe('Ada Admin');

    // Writes need the CSRF token; the header must name the session's own space; without it no session applies.
    expect((await v2(nora, 'POST', '/issues', { projectId, summary: 'x', issueTypeId, priorityId: 3 }, { 'x-csrf-token': 'forged' })).status).toBe(403);
    const wrongSpace = await v2(nora, 'GET', '/users/myself', undefined, { 'x-toride-space': otherSpaceKey });
    expect(wrongSpace.status).toBe(401);
    expect(wrongSpace.body.errors[0].code).toBe(11);
    expect((await nora.client.request('GET', '/api/v2/users/myself')).status).toBe(401);
    // The classic cookie answers are same-origin only, like the platform's web session.
    expect((await v2(nora, 'GET', '/space', undefined, { origin: 'https://evil.example' })).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never authenticates to /api/v1 or another space (W7.7: another space looks like no session)', async () => {
    const omar = await classicUser('omar', 1);
    for (const path of ['/api/v1/me', `/api/v1/orgs/${admin.orgId}`, `/api/v1/orgs/${admin.orgId}/members`]) {
      expect((await omar.client.request('GET', path)).status).toBe(401);
    }
    expect((await omar.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/classic`, { userLimit: 50 }, { 'x-csrf-token': omar.csrf })).status).toBe(401);
    const foreign = await self(omar, 'GET', '/session', undefined, otherSpaceKey);
    const missing = await self(omar, 'GET', '/session', undefined, 'tnosuchspace1');
    expect([foreign.status, foreign.body]).toEqual([missing.status, missing.body]);
    expect(foreign.status).toBe(401);
    // Even a classic administrator: space B's projects do not exist for them.
    expect((await v2(omar, 'GET', '/projects/BETA')).status).toBe(404);
    expect((await v2(omar, 'GET', '/projects/ALPHA')).status).toBe(200);
  });

  it('personal API keys: create, list, use on /api/v2 of the space only, revoke; only digests stored; guests have none', async () => {
    const kai = await classicUser('kai', 2);
    const created = await self(kai, 'POST', '/api-keys', { name: 'CI' });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^trc_/);
    const listed = await self(kai, 'GET', '/api-keys');
    expect(listed.body.apiKeys).toEqual([expect.objectContaining({ id: created.body.id, name: 'CI', prefix: created.body.prefix })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const store = await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(t.config.regionProjectsEn));
    const row = await store.db.selectFrom('classic_api_keys').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(hashToken(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(13));
    const stored = await t.app.inject({ method: 'GET', url: '/api/v2/users/myself', headers: { 'backlog-api-key': secret } });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ id: kai.id, userId: 'kai' });
    expect((await backlog(t, secret, 'GET', '/users/myself', undefined, 'query')).body.userId).toBe('kai');
    // Refused on /api/v1 (as a bearer key too) and worthless against another space's projects.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
    expect((await backlog(t, secret, 'GET', '/projects/BETA')).status).toBe(404);
    // Without a session, the key routes answer 401; a forged CSRF 403; another user's key id 404.
    expect((await new TestClient(t.app).request('GET', `/api/v1/classic/${spaceKey}/api-keys`)).status).toBe(401);
    expect((await kai.client.request('POST', `/api/v1/classic/${spaceKey}/api-keys`, { name: 'x' }, { 'x-csrf-token': 'forged' })).status).toBe(403);
    expect((await self(kai, 'POST', '/api-keys', { name: '' })).status).toBe(400);
    const gia = await classicUser('gia', 5);
    expect((await self(gia, 'POST', '/api-keys', { name: 'mine' })).status).toBe(403);
    expect((await self(gia, 'DELETE', `/api-keys/${created.body.id}`)).status).toBe(404);
    expect((await backlog(t, secret, 'GET', '/users/myself')).status).toBe(200);
    expect((await self(kai, 'DELETE', `/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await backlog(t, secret, 'GET', '/users/myself')).status).toBe(401);
    expect((await self(kai, 'DELETE', `/api-keys/${created.body.id}`)).status).toBe(404);
  });

  it('sign-out, expiry and a password change end sessions; deleting the user ends sessions and keys', async () => {
    const lea = await classicUser('lea', 2);
    const second = new TestClient(t.app);
    const again = await second.post(`/api/v1/classic/${spaceKey}/sign-in`, { userId: 'lea', password: NEW_PASSWORD });
    expect(again.status).toBe(200);
    const lea2: Classic = { ...lea, client: second, csrf: again.body.csrfToken };
    expect(lea2.csrf).not.toBe(lea.csrf);
    // Sign-out ends that session only, on the server: the old cookie, sent again, opens nothing.
    const token = second.cookie('toride_classic_session') ?? '';
    expect((await self(lea2, 'DELETE', '/session')).status).toBe(204);
    expect(second.cookie('toride_classic_session')).toBeUndefined();
    second.setCookie('toride_classic_session', token);
    expect((await v2(lea2, 'GET', '/users/myself')).status).toBe(401);
    expect((await v2(lea, 'GET', '/users/myself')).status).toBe(200);
    // A password change keeps the current session and ends the others.
    const third = new TestClient(t.app);
    const lea3: Classic = { ...lea, client: third, csrf: (await third.post(`/api/v1/classic/${spaceKey}/sign-in`, { userId: 'lea', password: NEW_PASSWORD })).body.csrfToken };
    expect((await self(lea, 'POST', '/password', { currentPassword: 'wrong one', newPassword: 'another passphrase' })).status).toBe(400);
    const short = await self(lea, 'POST', '/password', { currentPassword: NEW_PASSWORD, newPassword: 'short' });
    expect([short.status, short.body.error.code]).toEqual([400, 'request.invalid']);
    // Issue 15 §7: the one password rule applies to space-local users too.
    const common = await self(lea, 'POST', '/password', { currentPassword: NEW_PASSWORD, newPassword: 'password1234' });
    expect([common.status, common.body.error.code]).toEqual([400, 'auth.weak_password']);
    expect((await self(lea, 'POST', '/password', { currentPassword: NEW_PASSWORD, newPassword: 'another passphrase' })).status).toBe(204);
    expect((await v2(lea3, 'GET', '/users/myself')).status).toBe(401);
    expect((await v2(lea, 'GET', '/users/myself')).status).toBe(200);
    // Idle expiry: 12 hours without use.
    t.clock.advance(13 * HOUR);
    expect((await v2(lea, 'GET', '/users/myself')).status).toBe(401);
    const store = await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(t.config.regionProjectsEn));
    const sessionsOfLea = async () => Number((await store.db.selectFrom('classic_sessions').select((eb) => eb.fn.countAll().as('n')).where('space_user_id', '=', lea.id).executeTakeFirstOrThrow()).n);
    expect(await sessionsOfLea()).toBe(1);
    const fresh = new TestClient(t.app);
    const lea4: Classic = { ...lea, client: fresh, csrf: (await fresh.post(`/api/v1/classic/${spaceKey}/sign-in`, { userId: 'lea', password: 'another passphrase' })).body.csrfToken };
    // The ended session went at this sign-in: only the new one is stored.
    expect(await sessionsOfLea()).toBe(1);
    const key = (await self(lea4, 'POST', '/api-keys', { name: 'k' })).body.secret as string;
    expect((await backlog(t, key, 'GET', '/users/myself')).status).toBe(200);
    // An admin resetting the password signs the user out (the key stays); deleting the user ends both.
    expect((await backlog(t, adminKey, 'PATCH', `/users/${lea.id}`, { password: 'reset by the admin' })).status).toBe(200);
    expect((await v2(lea4, 'GET', '/users/myself')).status).toBe(401);
    const lea5client = new TestClient(t.app);
    const lea5: Classic = { ...lea, client: lea5client, csrf: (await lea5client.post(`/api/v1/classic/${spaceKey}/sign-in`, { userId: 'lea', password: 'reset by the admin', newPassword: 'third passphrase!' })).body.csrfToken };
    expect((await v2(lea5, 'GET', '/users/myself')).status).toBe(200);
    expect((await backlog(t, adminKey, 'DELETE', `/users/${lea.id}`)).status).toBe(200);
    expect((await v2(lea5, 'GET', '/users/myself')).status).toBe(401);
    expect((await backlog(t, key, 'GET', '/users/myself')).status).toBe(401);
    // Absolute cap: 30 days even when used every few hours.
    const max = await classicUser('max', 2);
    for (let i = 0; i < 31 * 2; i++) {
      t.clock.advance(11 * HOUR + 59 * 60_000);
      if ((await v2(max, 'GET', '/users/myself')).status !== 200) break;
    }
    expect((await v2(max, 'GET', '/users/myself')).status).toBe(401);
    expect(t.clock.now().getTime()).toBeGreaterThan(Date.parse('2026-11-25T09:00:00.000Z') + 29 * DAY);
  });

  it('the user limit counts classic users; a freed seat can be used again', async () => {
    // 6 seats: nora, omar, kai, gia, max (lea was deleted) — one left.
    expect((await backlog(t, adminKey, 'POST', '/users', { userId: 'sixth', password: 'x', name: 'Sixth', mailAddress: 'sixth@example.test', roleType: 4 })).status).toBe(201);
    const over = await backlog(t, adminKey, 'POST', '/users', { userId: 'seventh', password: 'x', name: 'Seventh', mailAddress: 'seventh@example.test', roleType: 4 });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].message).toMatch(/at most 6 users/);
    // Another org's admin cannot touch these users (404 like a missing id).
    const sixthId = (await backlog(t, adminKey, 'GET', '/users')).body.find((u: { userId: string }) => u.userId === 'sixth').id;
    const foreign = await backlog(t, otherKey, 'DELETE', `/users/${sixthId}`);
    const missing = await backlog(t, otherKey, 'DELETE', '/users/999999');
    expect([foreign.status, foreign.body]).toEqual([missing.status, missing.body]);
    expect((await backlog(t, adminKey, 'DELETE', `/users/${sixthId}`)).status).toBe(200);
    expect((await backlog(t, adminKey, 'POST', '/users', { userId: 'seventh', password: 'x', name: 'Seventh', mailAddress: 'seventh@example.test', roleType: 4 })).status).toBe(201);
  });

  it("purging the org (W4.1) removes its classic sessions and keys; another space's stay and keep working", async () => {
    const client = new TestClient(t.app);
    const nora: Classic = { client, id: 0, space: spaceKey, csrf: (await client.post(`/api/v1/classic/${spaceKey}/sign-in`, { userId: 'nora', password: NEW_PASSWORD })).body.csrfToken };
    expect((await self(nora, 'POST', '/api-keys', { name: 'before purge' })).status).toBe(201);
    const olga = await classicUser('olga', 2, otherKey, otherSpaceKey);
    const olgaSecret = (await self(olga, 'POST', '/api-keys', { name: 'other space' })).body.secret as string;
    const store = await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(t.config.regionProjectsEn));
    const count = async (table: 'classic_sessions' | 'classic_api_keys', orgId: string) =>
      Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()).n);
    expect(await count('classic_sessions', admin.orgId)).toBeGreaterThan(0);
    expect(await count('classic_api_keys', admin.orgId)).toBe(1);
    let done = false;
    for (let round = 0; round < 100 && !done; round++) done = (await purgeProjectsOrganization(t.kernel, admin.orgId, 500)).done;
    expect(done).toBe(true);
    expect([await count('classic_sessions', admin.orgId), await count('classic_api_keys', admin.orgId)]).toEqual([0, 0]);
    expect([await count('classic_sessions', other.orgId), await count('classic_api_keys', other.orgId)]).toEqual([1, 1]);
    expect((await v2(nora, 'GET', '/users/myself')).status).toBe(401);
    expect((await v2(olga, 'GET', '/users/myself')).body.userId).toBe('olga');
    expect((await backlog(t, olgaSecret, 'GET', '/users/myself')).body.userId).toBe('olga');
  });
});
